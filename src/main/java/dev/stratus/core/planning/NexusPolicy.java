package dev.stratus.core.planning;

import dev.stratus.core.model.plan.ColocationGroup;
import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanTuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Baseline B4, Nexus (SOSP'19, code {@code uwsampl/nexus}; serving-papers.md §1.5), as its scheduler plans one
 * epoch: l(b) = mean + std; network allowance = the pool's RTT (Nexus: a fixed 2 ms); per session
 * b_max = max{b : l(b) ≤ (SLO − RTT)/2}; saturated replicas at b_max while the rate exceeds T_max = b_max/l(b_max);
 * the residual at the largest b with (b−1)/r' + l(b) ≤ SLO − RTT and duty cycle d = min(SLO − RTT − l(b), b/r');
 * residuals squishy-packed best-fit (highest occupancy) with memory limits; deficit round robin dispatch;
 * pipeline SLOs split by Nexus' DP for trees (fractional replica cost r/T(budget)), evenly for other DAGs (Nexus
 * supports trees only). Pools are chosen by cost per throughput at b_max; Nexus has no notion of the edge.
 */
public final class NexusPolicy implements PlanningPolicy {
    public static final String NAME = "nexus";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Plan plan(PlanningContext ctx) {
        Budgets budgets = Budgets.resolve(ctx, p -> split(ctx, p));
        PlanBuilder out = new PlanBuilder(ctx);
        out.explain("Policy nexus (Nexus SOSP'19, §3 B4): l = mean + std, half-SLO max batch, saturated replicas + "
                + "squishy-packed residuals, deficit round robin; predicted latency is Nexus' own (duty cycle + l(b) + RTT).");
        budgets.splits().forEach((name, s) -> out.explain("Pipeline %s: %s.", name, s.method()));
        PoolLedger ledger = new PoolLedger(ctx.request().pools());
        List<SquishyPacker.Item> residuals = new ArrayList<>();
        Map<SquishyPacker.Item, PlanTuple> alone = new IdentityHashMap<>();
        for (ModelDemand m : ctx.request().models()) {
            String name = m.name();
            double budget = budgets.of(name);
            double rate = ctx.rate(name);
            List<ServiceCurve> pools = new ArrayList<>(ctx.curves(name).stream()
                    .filter(c -> FixedConfig.halfSloBatch(c, budget) > 0).toList());
            if (pools.isEmpty()) {
                throw new PlanningException("model " + name, String.format(
                        "nexus: half-SLO rule: l(1) > (%s - RTT)/2 on every allowed pool", budgets.describe(name)));
            }
            pools.sort(Comparator.comparingDouble(c -> c.costPerHour() / tMax(c, budget)));
            for (ServiceCurve c : pools) { // saturated replicas on the cheapest throughput; the next pool only when full
                int free = ledger.free(c.pool().name());
                int bMax = FixedConfig.halfSloBatch(c, budget);
                double t = tMax(c, budget);
                int wanted = (int) Math.floor(rate / t + 1e-9);
                int k = Math.min(free, wanted);
                if (wanted == 0) {
                    break;
                }
                if (k > 0) {
                    ledger.take(c.pool().name(), k);
                    double l = c.meanPlusStdMs(bMax);
                    out.tuple(name, new PlanTuple(c.pool().name(), bMax, l, k, DispatchPolicy.DEFICIT_ROUND_ROBIN,
                            k * t, c.rttMs() + 2 * l, ""));
                    rate -= k * t;
                }
                if (k == wanted) {
                    break;
                }
            }
            if (rate > 1e-9) {
                ServiceCurve c = pools.stream().filter(p -> ledger.free(p.pool().name()) > 0).findFirst()
                        .orElseThrow(() -> new PlanningException("model " + name,
                                "nexus: no free replica left in the allowed pools for the residual load"));
                ledger.take(c.pool().name(), 1);
                double slo = budget - c.rttMs();
                int b = residualBatch(c, rate, slo);
                if (b == 0) {
                    throw new PlanningException("model " + name, String.format(
                            "nexus: residual %.1f req/s: l(1) exceeds %s on %s", rate, budgets.describe(name), c.pool().name()));
                }
                double d = Math.min(slo - c.meanPlusStdMs(b), b * 1000.0 / rate);
                SquishyPacker.Item item = new SquishyPacker.Item(name, c, rate, budget, ctx.quantile(name),
                        FixedConfig.halfSloBatch(c, budget), d);
                residuals.add(item);
                alone.put(item, new PlanTuple(c.pool().name(), b, d, 1, DispatchPolicy.DEFICIT_ROUND_ROBIN, rate,
                        c.rttMs() + (b - 1) * 1000.0 / rate + c.meanPlusStdMs(b), ""));
            }
        }
        pack(ctx, residuals, alone, ledger, out);
        for (ModelDemand m : ctx.request().models()) {
            for (PlanTuple t : out.tuples(m.name())) {
                out.explain("%s: %d x %s at batch %d for %.1f req/s (duty cycle %.1f ms%s)", m.name(), t.replicas(),
                        t.pool(), t.batch(), t.ratePerSecond(), t.maxQueueDelayMs(),
                        t.shared() ? ", co-located in " + t.colocationGroup() : "");
            }
        }
        return out.build(NAME, "heuristic", budgets);
    }

    private static void pack(PlanningContext ctx, List<SquishyPacker.Item> residuals,
                             Map<SquishyPacker.Item, PlanTuple> alone, PoolLedger ledger, PlanBuilder out) {
        SquishyPacker packer = new SquishyPacker(SquishyPacker.Rule.NEXUS, 1.0, Integer.MAX_VALUE);
        List<SquishyPacker.Item> placed = new ArrayList<>();
        int id = 0;
        for (SquishyPacker.Group g : packer.pack(residuals)) {
            if (g.items().size() < 2) {
                continue;
            }
            String groupId = "g" + (++id);
            List<ColocationGroup.Member> members = new ArrayList<>();
            for (int i = 0; i < g.items().size(); i++) {
                SquishyPacker.Item it = g.items().get(i);
                out.tuple(it.model(), new PlanTuple(g.pool().name(), g.batches()[i], g.dutyCycleMs(), 1,
                        DispatchPolicy.DEFICIT_ROUND_ROBIN, it.ratePerSecond(), g.worstMs()[i], groupId));
                members.add(new ColocationGroup.Member(it.model(), g.batches()[i], it.ratePerSecond()));
                placed.add(it);
            }
            ledger.release(g.pool().name(), g.items().size() - 1);
            out.group(new ColocationGroup(groupId, g.pool().name(), members, 1, g.dutyCycleMs(), g.occupancy(), g.memoryMb()));
            out.explain("Co-location %s on %s: %s, duty cycle %.1f ms, occupancy %.0f%%.", groupId, g.pool().name(),
                    members.stream().map(ColocationGroup.Member::model).collect(Collectors.joining(", ")),
                    g.dutyCycleMs(), g.occupancy() * 100);
        }
        for (SquishyPacker.Item it : residuals) {
            if (placed.stream().noneMatch(p -> p == it)) {
                out.tuple(it.model(), alone.get(it));
            }
        }
    }

    /** T_max: throughput of one replica at the half-SLO batch, requests per second. */
    private static double tMax(ServiceCurve c, double budgetMs) {
        int b = FixedConfig.halfSloBatch(c, budgetMs);
        return b == 0 ? 0 : Queueing.throughputPerSecond(b, c.meanPlusStdMs(b));
    }

    /** Nexus' residual batch: the largest b with (b−1)/r + l(b) ≤ SLO − RTT (0 if none). */
    private static int residualBatch(ServiceCurve c, double rate, double sloMs) {
        int best = 0;
        for (int b = 1; b <= c.maxBatch(); b++) {
            if ((b - 1) * 1000.0 / rate + c.meanPlusStdMs(b) <= sloMs) {
                best = b;
            }
        }
        return best;
    }

    /** Nexus' DP for trees with fractional replica cost; an even split for other DAGs. */
    private static LatencySplitter.Split split(PlanningContext ctx, Pipeline p) {
        if (!p.isForest()) {
            LatencySplitter.Split even = LatencySplitter.evenly(p);
            return new LatencySplitter.Split(even.budgetsMs(), even.method() + " (Nexus' DP handles trees only)");
        }
        return LatencySplitter.split(p, ctx.settings().budgetSteps(), (stage, budget) -> {
            double best = Double.POSITIVE_INFINITY;
            for (ServiceCurve c : ctx.curves(stage)) {
                double t = tMax(c, budget);
                if (t > 0) {
                    best = Math.min(best, ctx.rate(stage) / t * c.costPerHour());
                }
            }
            return best;
        }, false);
    }
}
