package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.PlanTuple;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starting configuration of baseline B2 (serving-papers.md §3, Knative KPA docs): each pod batches like a KServe
 * predictor (max batch 8, 2 ms delay) with a soft concurrency target of one batch, and pods =
 * ceil(concurrency / (target × 70 %)), concurrency from Little's law (rate × (delay + l(b))). The KPA loop (60 s
 * stable window, 6 s panic window, panic at 200 % of ready capacity, no scale-down while panicking) runs in the
 * simulator from the recorded parameters.
 */
public final class KpaPolicy extends SimpleBaseline {
    public static final String NAME = "kpa";
    static final double TARGET_UTILISATION = 0.7;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    Optional<FixedConfig.Offer> offer(PlanningContext ctx, ServiceCurve c, double rate, double budgetMs) {
        double delay = Math.min(TritonHpaPolicy.MAX_QUEUE_DELAY_MS, Math.max(0, budgetMs - c.rttMs() - c.latencyMs(1)));
        int b = FixedConfig.largestFitting(c, TritonHpaPolicy.MAX_BATCH, delay, budgetMs);
        if (b == 0) {
            return Optional.empty();
        }
        double perRequestSeconds = ((b == 1 ? 0 : delay) + c.meanMs(b)) / 1000.0;
        double perReplica = TARGET_UTILISATION * b / perRequestSeconds; // rate that keeps concurrency at target × util
        return Optional.of(new FixedConfig.Offer(c, b, b == 1 ? 0 : delay, perReplica,
                c.rttMs() + (b == 1 ? 0 : delay) + c.latencyMs(b), DispatchPolicy.SPREAD));
    }

    @Override
    String whyNot(PlanningContext ctx, String model, double budgetMs) {
        return String.format("l(1) + RTT exceeds %.1f ms on every allowed pool", budgetMs);
    }

    @Override
    Map<String, Double> parameters(PlanningContext ctx, String model, List<PlanTuple> tuples) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("containerConcurrencyTarget", (double) tuples.get(0).batch());
        p.put("targetUtilisation", TARGET_UTILISATION);
        p.put("stableWindowSeconds", 60.0);
        p.put("panicWindowSeconds", 6.0);
        p.put("panicThreshold", 2.0);
        p.put("minScale", 1.0);
        return p;
    }

    @Override
    String describe(PlanningContext ctx) {
        return "Policy kpa (start of §3 B2, Knative KPA): per-pod batch 8 / 2 ms, concurrency target one batch at 70%, "
                + "pods from Little's law; the KPA loop runs in the simulator.";
    }
}
