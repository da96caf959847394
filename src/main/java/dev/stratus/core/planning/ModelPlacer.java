package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Stratus' placement of one model's load, batch-aware dispatch throughout:
 * <ol>
 * <li>edge-first (when the model prefers the edge): each allowed edge pool, nearest first, takes as much of the
 * rate as its free replicas serve within the budget (its RTT charged); the rest spills to cloud;</li>
 * <li>otherwise, and for the spilled rest: the cheaper of the best single tuple (pool × batch × fewest replicas)
 * and a saturated main tuple plus a residual tuple for what it leaves (any pool, smaller batch);</li>
 * <li>when free capacity is too short for either, greedy fill: the (pool, batch) serving the most rate per cost
 * with the replicas left, repeatedly.</li>
 * </ol>
 * Fails with a {@link PlanningException} naming the tightest constraint.
 */
final class ModelPlacer {
    private static final double EPS = 1e-9;

    /** One model's tuples and how much of its rate they serve at the edge. */
    record Placement(List<Sized> tuples, double edgeRate) {
        double costPerHour() {
            return tuples.stream().mapToDouble(Sized::costPerHour).sum();
        }
    }

    private final Sizing sizing;
    private final boolean preferResidualSplit;

    /** @param preferResidualSplit on equal cost, keep a main + residual split so the residual can be co-located */
    ModelPlacer(Sizing sizing, boolean preferResidualSplit) {
        this.sizing = sizing;
        this.preferResidualSplit = preferResidualSplit;
    }

    Placement place(String model, List<ServiceCurve> curves, double rate, double budgetMs, String budgetText,
                    double quantile, PoolLedger ledger, boolean edgePreference) {
        List<ServiceCurve> edge = curves.stream().filter(c -> c.pool().isEdge()).toList();
        List<Sized> tuples = new ArrayList<>();
        double remaining = rate;
        double edgeRate = 0;
        if (edgePreference && !edge.isEmpty()) {
            List<ServiceCurve> nearest = new ArrayList<>(edge);
            nearest.sort(Comparator.comparingDouble(ServiceCurve::rttMs).thenComparingDouble(ServiceCurve::costPerHour));
            for (ServiceCurve c : nearest) {
                if (remaining <= EPS * rate) {
                    break;
                }
                Optional<Sized> fill = fillPool(c, remaining, budgetMs, quantile, ledger.free(c.pool().name()));
                if (fill.isPresent()) {
                    tuples.add(fill.get());
                    ledger.take(fill.get().pool(), fill.get().replicas());
                    remaining -= fill.get().ratePerSecond();
                    edgeRate += fill.get().ratePerSecond();
                }
            }
            if (remaining <= EPS * rate) {
                return new Placement(tuples, edgeRate);
            }
            List<ServiceCurve> cloud = curves.stream().filter(c -> !c.pool().isEdge()).toList();
            if (cloud.isEmpty()) {
                tuples.forEach(t -> ledger.release(t.pool(), t.replicas()));
                throw edgeShortage(model, nearest, rate, remaining, budgetMs, budgetText, quantile, ledger);
            }
            curves = cloud;
        }
        Optional<Placement> rest = bestOf(curves, remaining, budgetMs, quantile, ledger);
        if (rest.isEmpty()) {
            rest = greedyFill(curves, remaining, budgetMs, quantile, ledger);
        }
        if (rest.isEmpty()) {
            tuples.forEach(t -> ledger.release(t.pool(), t.replicas()));
            throw failure(model, curves, remaining, budgetMs, budgetText, quantile, ledger);
        }
        for (Sized s : rest.get().tuples()) {
            ledger.take(s.pool(), s.replicas());
            tuples.add(s);
            if (s.curve().pool().isEdge()) {
                edgeRate += s.ratePerSecond();
            }
        }
        return new Placement(tuples, edgeRate);
    }

    /** Cost of serving the whole rate alone, with the capacity in {@code fresh} (pipeline budget splitting). */
    double isolatedCost(List<ServiceCurve> curves, double rate, double budgetMs, double quantile, PoolLedger fresh) {
        return bestOf(curves, rate, budgetMs, quantile, fresh).map(Placement::costPerHour).orElse(Double.POSITIVE_INFINITY);
    }

    /** The cheaper of one tuple and main + residual, within free capacity; nothing is taken from the ledger. */
    Optional<Placement> bestOf(List<ServiceCurve> curves, double rate, double budgetMs, double quantile, PoolLedger ledger) {
        Optional<Sized> single = bestSingle(curves, rate, budgetMs, quantile, ledger);
        Optional<Placement> split = bestMainResidual(curves, rate, budgetMs, quantile, ledger);
        if (single.isEmpty()) {
            return split;
        }
        Placement one = new Placement(List.of(single.get()), 0);
        if (split.isEmpty()) {
            return Optional.of(one);
        }
        double a = one.costPerHour();
        double b = split.get().costPerHour();
        boolean cheaper = b < a - 1e-9;
        boolean residualWorthPacking = preferResidualSplit && Math.abs(a - b) <= 1e-9
                && split.get().tuples().get(1).replicas() == 1 && split.get().tuples().get(1).utilisation() < 0.5;
        return Optional.of(cheaper || residualWorthPacking ? split.get() : one);
    }

    /** Cheapest single tuple; ties go to fewer replicas, then lower predicted latency. */
    Optional<Sized> bestSingle(List<ServiceCurve> curves, double rate, double budgetMs, double quantile, PoolLedger ledger) {
        Sized best = null;
        for (ServiceCurve c : curves) {
            int free = ledger.free(c.pool().name());
            if (free < 1) {
                continue;
            }
            for (int b : c.candidatesView()) {
                Optional<Sized> s = sizing.size(c, b, rate, budgetMs, DispatchPolicy.BATCH_AWARE, free, quantile);
                if (s.isPresent() && better(s.get(), best)) {
                    best = s.get();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean better(Sized s, Sized best) {
        if (best == null) {
            return true;
        }
        int byCost = Double.compare(s.costPerHour(), best.costPerHour());
        if (Math.abs(s.costPerHour() - best.costPerHour()) > 1e-9) {
            return byCost < 0;
        }
        if (s.replicas() != best.replicas()) {
            return s.replicas() < best.replicas();
        }
        return s.worstMs() < best.worstMs();
    }

    /**
     * A main tuple whose replicas run near the utilisation cap at an efficient batch, plus the cheapest single
     * tuple for what is left (Harpagon's multi-tuple configuration with a residual).
     */
    Optional<Placement> bestMainResidual(List<ServiceCurve> curves, double rate, double budgetMs, double quantile,
                                         PoolLedger ledger) {
        Placement best = null;
        for (ServiceCurve c : curves) {
            String pool = c.pool().name();
            int free = ledger.free(pool);
            for (int b : c.candidatesView()) {
                double perReplica = sizing.maxRate(c, b, 1, budgetMs, DispatchPolicy.BATCH_AWARE, quantile);
                if (perReplica <= 0) {
                    continue;
                }
                int k0 = (int) Math.floor(rate / perReplica);
                for (int k = Math.min(k0, free); k >= Math.max(1, Math.min(k0, free) - 1); k--) {
                    double mainRate = sizing.maxRate(c, b, k, budgetMs, DispatchPolicy.BATCH_AWARE, quantile);
                    if (mainRate <= 0 || mainRate >= rate * (1 - 1e-9)) {
                        continue;
                    }
                    Optional<Sized> main = sizing.size(c, b, mainRate, budgetMs, DispatchPolicy.BATCH_AWARE, k, quantile);
                    if (main.isEmpty()) {
                        continue;
                    }
                    ledger.take(pool, main.get().replicas());
                    Optional<Sized> residual = bestSingle(curves, rate - mainRate, budgetMs, quantile, ledger);
                    ledger.release(pool, main.get().replicas());
                    if (residual.isPresent()) {
                        Placement p = new Placement(List.of(main.get(), residual.get()), 0);
                        if (best == null || p.costPerHour() < best.costPerHour() - 1e-9) {
                            best = p;
                        }
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** As much of {@code rate} as one pool's free replicas serve within the budget, with the fewest replicas. */
    Optional<Sized> fillPool(ServiceCurve c, double rate, double budgetMs, double quantile, int free) {
        Sized best = null;
        if (free < 1) {
            return Optional.empty();
        }
        for (int b : c.candidatesView()) {
            double served = Math.min(rate, sizing.maxRate(c, b, free, budgetMs, DispatchPolicy.BATCH_AWARE, quantile));
            if (served <= 0) {
                continue;
            }
            Optional<Sized> s = sizing.size(c, b, served, budgetMs, DispatchPolicy.BATCH_AWARE, free, quantile);
            if (s.isEmpty()) {
                continue;
            }
            if (best == null || served > best.ratePerSecond() * (1 + 1e-9)
                    || (served >= best.ratePerSecond() * (1 - 1e-9) && better(s.get(), best))) {
                best = s.get();
            }
        }
        return Optional.ofNullable(best);
    }

    /** Spread over several pools when no single choice has the capacity: most rate per cost first. */
    private Optional<Placement> greedyFill(List<ServiceCurve> curves, double rate, double budgetMs, double quantile,
                                           PoolLedger ledger) {
        List<Sized> taken = new ArrayList<>();
        double remaining = rate;
        for (int round = 0; round < curves.size() * 2 && remaining > EPS * rate; round++) {
            Sized best = null;
            for (ServiceCurve c : curves) {
                Optional<Sized> s = fillPool(c, remaining, budgetMs, quantile, ledger.free(c.pool().name()));
                if (s.isPresent() && (best == null || perCost(s.get()) > perCost(best))) {
                    best = s.get();
                }
            }
            if (best == null) {
                break;
            }
            ledger.take(best.pool(), best.replicas());
            taken.add(best);
            remaining -= best.ratePerSecond();
        }
        taken.forEach(s -> ledger.release(s.pool(), s.replicas()));
        return remaining <= EPS * rate ? Optional.of(new Placement(taken, 0)) : Optional.empty();
    }

    private static double perCost(Sized s) {
        return s.costPerHour() > 0 ? s.ratePerSecond() / s.costPerHour() : Double.MAX_VALUE;
    }

    private PlanningException edgeShortage(String model, List<ServiceCurve> edge, double rate, double remaining,
                                           double budgetMs, String budgetText, double quantile, PoolLedger ledger) {
        ServiceCurve c = edge.get(0);
        String pool = c.pool().name();
        int needed = replicasNeeded(c, rate, budgetMs, quantile);
        String neededText = needed > 0 ? needed + " replicas needed" : "no replica count meets " + budgetText;
        return new PlanningException("model " + model, String.format(
                "pool %s: %s for %.1f req/s, max %d (%d free), %.1f req/s left over, and no cloud pool allowed",
                pool, neededText, rate, ledger.max(pool), ledger.free(pool), remaining));
    }

    private PlanningException failure(String model, List<ServiceCurve> curves, double rate, double budgetMs,
                                      String budgetText, double quantile, PoolLedger ledger) {
        ServiceCurve fastest = curves.stream()
                .min(Comparator.comparingDouble(c -> c.rttMs() + c.latencyMs(1))).orElseThrow();
        double floor = fastest.rttMs() + fastest.latencyMs(1);
        if (floor > budgetMs) {
            return new PlanningException("model " + model, String.format(
                    "%s is below l(1)=%.1f ms + RTT %.1f ms on every allowed pool (fastest: %s)",
                    budgetText, fastest.latencyMs(1), fastest.rttMs(), fastest.pool().name()));
        }
        StringBuilder pools = new StringBuilder();
        int bestNeed = Integer.MAX_VALUE;
        String bestPool = null;
        for (ServiceCurve c : curves) {
            int need = replicasNeeded(c, rate, budgetMs, quantile);
            String name = c.pool().name();
            pools.append(pools.isEmpty() ? "" : ", ").append(String.format("%s %d of %d free", name,
                    ledger.free(name), ledger.max(name)));
            if (need > 0 && need < bestNeed) {
                bestNeed = need;
                bestPool = name;
            }
        }
        if (bestPool == null) {
            return new PlanningException("model " + model, String.format(
                    "no pool, batch and replica count serves %.1f req/s within %s", rate, budgetText));
        }
        return new PlanningException("model " + model, String.format(
                "pool %s: %d replicas needed for %.1f req/s within %s, not enough free capacity in the allowed pools (%s)",
                bestPool, bestNeed, rate, budgetText, pools));
    }

    /** Replicas one pool would need for the whole rate, ignoring its capacity (for messages); 0 if none would do. */
    private int replicasNeeded(ServiceCurve c, double rate, double budgetMs, double quantile) {
        int best = 0;
        for (int b : c.candidatesView()) {
            Optional<Sized> s = sizing.size(c, b, rate, budgetMs, DispatchPolicy.BATCH_AWARE, 1_000_000, quantile);
            if (s.isPresent() && (best == 0 || s.get().replicas() < best)) {
                best = s.get().replicas();
            }
        }
        return best;
    }
}
