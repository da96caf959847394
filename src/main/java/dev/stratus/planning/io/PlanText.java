package dev.stratus.planning.io;

import dev.stratus.core.model.plan.ColocationGroup;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.PipelinePlan;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.PlanTuple;

import java.util.Locale;
import java.util.stream.Collectors;

/** A plan as text for people: a table of tuples, the groups, the edge split, the pipeline budgets and why. */
public final class PlanText {
    private PlanText() {
    }

    public static String render(Plan plan, PlanRequest request) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Plan: policy %s, solver %s, cost %.2f per hour%n%n", plan.policy(),
                plan.solver(), plan.costPerHour()));
        String row = "%-14s %-12s %5s %9s %8s %-19s %9s %6s %9s %9s %s%n";
        out.append(String.format(Locale.ROOT, row, "MODEL", "POOL", "BATCH", "DELAY-MS", "REPLICAS", "DISPATCH",
                "RATE/S", "SHARE", "WORST-MS", "BUDGET-MS", "GROUP"));
        for (ModelPlan m : plan.modelPlans()) {
            for (PlanTuple t : m.tuples()) {
                out.append(String.format(Locale.ROOT, row, m.model(), t.pool(), t.batch(),
                        String.format(Locale.ROOT, "%.1f", t.maxQueueDelayMs()), t.replicas(),
                        t.dispatch().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        String.format(Locale.ROOT, "%.1f", t.ratePerSecond()),
                        String.format(Locale.ROOT, "%.0f%%", 100 * m.share(t)),
                        String.format(Locale.ROOT, "%.1f", t.predictedWorstLatencyMs()),
                        String.format(Locale.ROOT, "%.1f", m.latencyBudgetMs()), t.colocationGroup()));
            }
        }
        if (!plan.groups().isEmpty()) {
            out.append(String.format("%nCo-location groups:%n"));
            for (ColocationGroup g : plan.groups()) {
                out.append(String.format(Locale.ROOT, "  %s on %s: %s; %d replica(s), duty cycle %.1f ms, occupancy %.0f%%, "
                                + "memory %.0f of %.0f MB%n", g.id(), g.pool(),
                        g.members().stream().map(mb -> String.format(Locale.ROOT, "%s (batch %d, %.1f req/s)", mb.model(),
                                mb.batch(), mb.ratePerSecond())).collect(Collectors.joining(", ")),
                        g.replicas(), g.dutyCycleMs(), g.occupancy() * 100, g.memoryMb(), request.pool(g.pool()).memoryMb()));
            }
        }
        boolean anyEdge = request.pools().stream().anyMatch(p -> p.isEdge());
        if (anyEdge) {
            out.append(String.format("%nEdge/cloud split:%n"));
            for (ModelPlan m : plan.modelPlans()) {
                out.append(String.format(Locale.ROOT, "  %-14s %3.0f%% edge, %3.0f%% cloud%n", m.model(),
                        100 * m.edgeShare(), 100 * (1 - m.edgeShare())));
            }
        }
        if (!plan.pipelines().isEmpty()) {
            out.append(String.format("%nPipeline stage budgets:%n"));
            for (PipelinePlan p : plan.pipelines()) {
                out.append(String.format(Locale.ROOT, "  %s: %s; predicted worst path %.1f ms of SLO %.1f ms (%s)%n",
                        p.pipeline(), p.stageBudgetsMs().entrySet().stream().map(e -> String.format(Locale.ROOT,
                                "%s %.1f ms", e.getKey(), e.getValue())).collect(Collectors.joining(", ")),
                        p.predictedWorstPathMs(), request.pipelines().stream().filter(x -> x.name().equals(p.pipeline()))
                                .findFirst().orElseThrow().sloMs(), p.method()));
            }
        }
        boolean anyParameters = plan.modelPlans().stream().anyMatch(m -> !m.parameters().isEmpty());
        if (anyParameters) {
            out.append(String.format("%nStarting parameters of the dynamic policy:%n"));
            for (ModelPlan m : plan.modelPlans()) {
                out.append(String.format("  %-14s %s%n", m.model(), m.parameters().entrySet().stream().sorted(
                        java.util.Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + trim(e.getValue()))
                        .collect(Collectors.joining(" "))));
            }
        }
        out.append(String.format("%nWhy:%n"));
        plan.explanation().forEach(line -> out.append("  ").append(line).append(System.lineSeparator()));
        return out.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
