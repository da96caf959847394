package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.PlanTuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The placement the simple baselines share: each pool offers one configuration (batch, queue delay, how much rate
 * one replica takes, predicted latency); the model goes to the pool where ceil(rate / per-replica rate) replicas
 * cost least, or, when no pool has that many free, fills pools in order of cost per unit of rate.
 */
public final class FixedConfig {

    /** What a policy would run on one pool. */
    public record Offer(ServiceCurve curve, int batch, double maxQueueDelayMs, double ratePerReplica,
                        double predictedWorstMs, DispatchPolicy dispatch) {
        double costPerRate() {
            return curve.costPerHour() / ratePerReplica;
        }

        int replicasFor(double rate) {
            return (int) Math.max(1, Math.ceil(rate / ratePerReplica - 1e-9));
        }
    }

    private FixedConfig() {
    }

    /**
     * Places the model with its offers (pools that offer nothing are skipped) and records the tuples in the ledger.
     * {@code whyNot} names the constraint when no pool offers anything.
     */
    public static List<PlanTuple> place(String policy, String model, List<ServiceCurve> curves, double rate,
                                        PoolLedger ledger, Function<ServiceCurve, Optional<Offer>> offer, String whyNot) {
        List<Offer> offers = curves.stream().map(offer).flatMap(Optional::stream).toList();
        if (offers.isEmpty()) {
            throw new PlanningException("model " + model, policy + ": " + whyNot);
        }
        Offer cheapest = null;
        for (Offer o : offers) {
            int n = o.replicasFor(rate);
            if (n <= ledger.free(o.curve().pool().name())
                    && (cheapest == null || n * o.curve().costPerHour() < cheapest.replicasFor(rate) * cheapest.curve().costPerHour())) {
                cheapest = o;
            }
        }
        List<PlanTuple> tuples = new ArrayList<>();
        if (cheapest != null) {
            tuples.add(tuple(cheapest, cheapest.replicasFor(rate), rate, ledger));
            return tuples;
        }
        List<Offer> byCost = new ArrayList<>(offers);
        byCost.sort(Comparator.comparingDouble(Offer::costPerRate));
        double remaining = rate;
        for (Offer o : byCost) {
            int free = ledger.free(o.curve().pool().name());
            if (free < 1 || remaining <= 1e-9 * rate) {
                continue;
            }
            int n = Math.min(free, o.replicasFor(remaining));
            double served = Math.min(remaining, n * o.ratePerReplica());
            tuples.add(tuple(o, n, served, ledger));
            remaining -= served;
        }
        if (remaining > 1e-9 * rate) {
            int needed = offers.stream().mapToInt(o -> o.replicasFor(rate)).min().orElseThrow();
            throw new PlanningException("model " + model, String.format(
                    "%s: needs %d replicas for %.1f req/s, the allowed pools have too few free (%.1f req/s unserved)",
                    policy, needed, rate, remaining));
        }
        return tuples;
    }

    private static PlanTuple tuple(Offer o, int replicas, double rate, PoolLedger ledger) {
        ledger.take(o.curve().pool().name(), replicas);
        return new PlanTuple(o.curve().pool().name(), o.batch(), o.maxQueueDelayMs(), replicas, o.dispatch(), rate,
                o.predictedWorstMs(), "");
    }

    /** Nexus' GetMaxBatch: the largest b with mean+std latency ≤ (budget − RTT)/2, or 0 when even b = 1 is too slow. */
    public static int halfSloBatch(ServiceCurve c, double budgetMs) {
        double half = (budgetMs - c.rttMs()) / 2;
        int best = 0;
        for (int b = 1; b <= c.maxBatch(); b++) {
            if (c.meanPlusStdMs(b) <= half) {
                best = b;
            }
        }
        return best;
    }

    /** The largest batch up to {@code preferred} whose conservative latency plus RTT and delay fits the budget. */
    public static int largestFitting(ServiceCurve c, int preferred, double delayMs, double budgetMs) {
        for (int b = Math.min(preferred, c.maxBatch()); b >= 1; b--) {
            if (c.rttMs() + delayMs + c.latencyMs(b) <= budgetMs) {
                return b;
            }
        }
        return 0;
    }
}
