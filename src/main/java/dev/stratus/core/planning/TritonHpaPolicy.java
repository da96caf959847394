package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.PlanTuple;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starting configuration of baseline B1 (serving-papers.md §3): Triton dynamic batching with max batch 8 and a
 * 2 ms max queue delay (the common Triton tutorial setting; smaller when the SLO needs it), replicas sized by a
 * Kubernetes HPA at 70 % target utilisation of the mean service rate. Its scaling (every 15 s,
 * desired = ceil(n·current/target), ±10 % tolerance, 300 s scale-down stabilisation) lives in the simulator and
 * reads the parameters recorded on each model plan.
 */
public final class TritonHpaPolicy extends SimpleBaseline {
    public static final String NAME = "triton-hpa";
    static final int MAX_BATCH = 8;
    static final double MAX_QUEUE_DELAY_MS = 2;
    static final double TARGET_UTILISATION = 0.7;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    Optional<FixedConfig.Offer> offer(PlanningContext ctx, ServiceCurve c, double rate, double budgetMs) {
        return dynamicBatching(c, budgetMs).map(d -> d.offer(c,
                TARGET_UTILISATION * Queueing.throughputPerSecond(d.batch(), c.meanMs(d.batch()))));
    }

    @Override
    String whyNot(PlanningContext ctx, String model, double budgetMs) {
        return String.format("l(1) + RTT exceeds %.1f ms on every allowed pool", budgetMs);
    }

    @Override
    Map<String, Double> parameters(PlanningContext ctx, String model, List<PlanTuple> tuples) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("targetUtilisation", TARGET_UTILISATION);
        p.put("tolerance", 0.1);
        p.put("syncPeriodSeconds", 15.0);
        p.put("scaleDownStabilisationSeconds", 300.0);
        p.put("minReplicas", 1.0);
        p.put("maxReplicas", (double) ctx.request().pool(tuples.get(0).pool()).maxReplicas());
        return p;
    }

    @Override
    String describe(PlanningContext ctx) {
        return "Policy triton-hpa (start of §3 B1): Triton dynamic batching, max batch 8, max queue delay 2 ms, "
                + "round-robin; replicas for 70% HPA target utilisation; the HPA loop runs in the simulator.";
    }

    /**
     * Triton's dynamic batching as these baselines configure it: a max queue delay of at most
     * {@link #MAX_QUEUE_DELAY_MS} (less when the budget is tight) and the largest batch up to {@link #MAX_BATCH}
     * that fits the budget with it; requests are spread over the replicas.
     */
    record DynamicBatching(int batch, double delayMs) {
        FixedConfig.Offer offer(ServiceCurve c, double ratePerReplica) {
            return new FixedConfig.Offer(c, batch, delayMs, ratePerReplica, c.rttMs() + delayMs + c.latencyMs(batch),
                    DispatchPolicy.SPREAD);
        }
    }

    static Optional<DynamicBatching> dynamicBatching(ServiceCurve c, double budgetMs) {
        double delay = Math.min(MAX_QUEUE_DELAY_MS, Math.max(0, budgetMs - c.rttMs() - c.latencyMs(1)));
        int b = FixedConfig.largestFitting(c, MAX_BATCH, delay, budgetMs);
        return b == 0 ? Optional.empty() : Optional.of(new DynamicBatching(b, b == 1 ? 0 : delay));
    }
}
