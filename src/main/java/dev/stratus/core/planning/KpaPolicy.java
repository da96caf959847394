package dev.stratus.core.planning;

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
        return TritonHpaPolicy.dynamicBatching(c, budgetMs).map(d -> {
            double perRequestSeconds = (d.delayMs() + c.meanMs(d.batch())) / 1000.0;
            // the rate that keeps concurrency at the target × utilisation
            return d.offer(c, TARGET_UTILISATION * d.batch() / perRequestSeconds);
        });
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
