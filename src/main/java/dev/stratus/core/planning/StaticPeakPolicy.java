package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;

import java.util.Optional;

/**
 * Baseline B0 of serving-papers.md §3, static peak provisioning: b* = Nexus' GetMaxBatch (largest b with
 * mean+std latency ≤ (SLO − RTT)/2), n = ceil(rate / T(b*)) with T = b / l(b), the expected rate taken as the
 * peak; round-robin dispatch; the batcher waits at most the half of the budget the rule reserves for batching.
 * Never rescaled.
 */
public final class StaticPeakPolicy extends SimpleBaseline {
    public static final String NAME = "static-peak";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    Optional<FixedConfig.Offer> offer(PlanningContext ctx, ServiceCurve c, double rate, double budgetMs) {
        int b = FixedConfig.halfSloBatch(c, budgetMs);
        if (b == 0) {
            return Optional.empty();
        }
        double l = c.meanPlusStdMs(b);
        double delay = (budgetMs - c.rttMs()) / 2;
        return Optional.of(new FixedConfig.Offer(c, b, delay, Queueing.throughputPerSecond(b, l),
                c.rttMs() + delay + l, DispatchPolicy.SPREAD));
    }

    @Override
    String whyNot(PlanningContext ctx, String model, double budgetMs) {
        return String.format("half-SLO rule: l(1) > (%.1f ms - RTT)/2 on every allowed pool", budgetMs);
    }

    @Override
    String describe(PlanningContext ctx) {
        return "Policy static-peak (serving-papers.md §3 B0): batch = Nexus' half-SLO rule with l = mean + std, "
                + "replicas = ceil(rate / (b / l(b))) for the expected rate as peak, round-robin, never rescaled.";
    }
}
