package dev.stratus.core.planning;

import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelinePlan;
import dev.stratus.core.model.plan.Slo;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Each model's latency budget: its own SLO, tightened by every pipeline stage budget it has, with a phrase naming
 * where the budget came from (used in infeasibility messages).
 */
record Budgets(Map<String, Double> budgetMs, Map<String, String> origin, Map<String, LatencySplitter.Split> splits) {

    static Budgets resolve(PlanningContext ctx, Function<Pipeline, LatencySplitter.Split> splitter) {
        Map<String, Double> budget = new HashMap<>();
        Map<String, String> origin = new HashMap<>();
        for (ModelDemand m : ctx.request().models()) {
            m.ownSlo().map(Slo::latencyMs).ifPresent(slo -> {
                budget.put(m.name(), slo);
                origin.put(m.name(), String.format("SLO %.1f ms", slo));
            });
        }
        Map<String, LatencySplitter.Split> splits = new LinkedHashMap<>();
        for (Pipeline p : ctx.request().pipelines()) {
            LatencySplitter.Split split = splitter.apply(p);
            splits.put(p.name(), split);
            split.budgetsMs().forEach((stage, ms) -> {
                if (ms < budget.getOrDefault(stage, Double.POSITIVE_INFINITY)) {
                    budget.put(stage, ms);
                    origin.put(stage, String.format("stage budget %.1f ms (pipeline %s, SLO %.1f ms)", ms, p.name(), p.sloMs()));
                }
            });
        }
        return new Budgets(budget, origin, splits);
    }

    double of(String model) {
        return budgetMs.get(model);
    }

    String describe(String model) {
        return origin.get(model);
    }

    /** The pipeline plans, with the predicted worst path from each stage's predicted worst latency. */
    List<PipelinePlan> pipelinePlans(PlanningContext ctx, Map<String, Double> predictedWorstMs) {
        return ctx.request().pipelines().stream().map(p -> {
            LatencySplitter.Split s = splits.get(p.name());
            return new PipelinePlan(p.name(), s.budgetsMs(), s.method(), LatencySplitter.longestPathMs(p, predictedWorstMs));
        }).toList();
    }
}
