package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.PlanTuple;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starting configuration of baseline B3 (serving-papers.md §1.6, §3): Clipper's adaptive batching starts every
 * replica at batch 1 with no delayed batching and grows the batch additively (+1) while the observed batch
 * latency stays under the SLO, cutting it to ⌊0.9·b⌋ when it does not (AIMD, done by the simulator). Clipper does
 * not autoscale, so replicas are provisioned for the expected rate at the batch AIMD converges towards, taken as
 * Nexus' half-SLO batch (what static-peak provisions).
 */
public final class ClipperAimdPolicy extends SimpleBaseline {
    public static final String NAME = "clipper-aimd";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    Optional<FixedConfig.Offer> offer(PlanningContext ctx, ServiceCurve c, double rate, double budgetMs) {
        int target = FixedConfig.halfSloBatch(c, budgetMs);
        if (target == 0) {
            return Optional.empty();
        }
        double perReplica = Queueing.throughputPerSecond(target, c.meanPlusStdMs(target));
        return Optional.of(new FixedConfig.Offer(c, 1, 0, perReplica, c.rttMs() + c.latencyMs(1), DispatchPolicy.SPREAD));
    }

    @Override
    String whyNot(PlanningContext ctx, String model, double budgetMs) {
        return String.format("l(1) > (%.1f ms - RTT)/2 on every allowed pool", budgetMs);
    }

    @Override
    Map<String, Double> parameters(PlanningContext ctx, String model, List<PlanTuple> tuples) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("additiveIncrease", 1.0);
        p.put("multiplicativeDecrease", 0.9);
        p.put("maxBatch", (double) ctx.curves(model).stream().mapToInt(ServiceCurve::maxBatch).max().orElse(1));
        return p;
    }

    @Override
    String describe(PlanningContext ctx) {
        return "Policy clipper-aimd (start of §3 B3, Clipper NSDI'17): batch 1, no delayed batching, AIMD +1 / x0.9 "
                + "on the SLO in the simulator; replicas fixed for the rate at the half-SLO batch.";
    }
}
