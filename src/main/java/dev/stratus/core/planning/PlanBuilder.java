package dev.stratus.core.planning;

import dev.stratus.core.model.plan.ColocationGroup;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanTuple;
import dev.stratus.core.model.plan.PipelinePlan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects tuples, groups and explanation lines and prices them into a {@link Plan}. */
final class PlanBuilder {
    private final PlanningContext ctx;
    private final Map<String, List<PlanTuple>> tuples = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> parameters = new HashMap<>();
    private final List<ColocationGroup> groups = new ArrayList<>();
    private final List<String> explanation = new ArrayList<>();

    PlanBuilder(PlanningContext ctx) {
        this.ctx = ctx;
        ctx.request().models().forEach(m -> tuples.put(m.name(), new ArrayList<>()));
    }

    void tuple(String model, PlanTuple tuple) {
        tuples.get(model).add(tuple);
    }

    void replaceTuples(String model, List<PlanTuple> replacement) {
        tuples.put(model, new ArrayList<>(replacement));
    }

    List<PlanTuple> tuples(String model) {
        return tuples.get(model);
    }

    void parameter(String model, String name, double value) {
        parameters.computeIfAbsent(model, k -> new LinkedHashMap<>()).put(name, value);
    }

    void group(ColocationGroup group) {
        groups.add(group);
    }

    void explain(String line) {
        explanation.add(line);
    }

    void explain(String format, Object... args) {
        explanation.add(String.format(format, args));
    }

    /** Every replica priced: dedicated tuples plus co-location groups. */
    double costPerHour() {
        double cost = 0;
        for (List<PlanTuple> ts : tuples.values()) {
            for (PlanTuple t : ts) {
                if (!t.shared()) {
                    cost += t.replicas() * ctx.request().pool(t.pool()).costPerHour();
                }
            }
        }
        for (ColocationGroup g : groups) {
            cost += g.replicas() * ctx.request().pool(g.pool()).costPerHour();
        }
        return cost;
    }

    Map<String, Double> predictedWorst() {
        Map<String, Double> worst = new HashMap<>();
        tuples.forEach((m, ts) -> worst.put(m, ts.stream().mapToDouble(PlanTuple::predictedWorstLatencyMs).max().orElse(0)));
        return worst;
    }

    Plan build(String policy, String solver, Budgets budgets) {
        Map<String, Double> worst = predictedWorst();
        Map<String, Boolean> edge = new HashMap<>();
        ctx.request().pools().forEach(p -> edge.put(p.name(), p.isEdge()));
        List<ModelPlan> plans = new ArrayList<>();
        tuples.forEach((model, ts) -> {
            double total = ts.stream().mapToDouble(PlanTuple::ratePerSecond).sum();
            double atEdge = ts.stream().filter(t -> edge.get(t.pool())).mapToDouble(PlanTuple::ratePerSecond).sum();
            plans.add(new ModelPlan(model, ts, budgets.of(model), worst.get(model),
                    total > 0 ? Math.min(1, atEdge / total) : 0, parameters.getOrDefault(model, Map.of())));
        });
        List<PipelinePlan> pipelines = budgets.pipelinePlans(ctx, worst);
        double cost = costPerHour();
        List<String> lines = new ArrayList<>(explanation);
        lines.add(String.format("Total: %.2f per hour for %d replicas.", cost, replicaCount()));
        return new Plan(policy, solver, plans, groups, pipelines, cost, lines);
    }

    private int replicaCount() {
        int n = groups.stream().mapToInt(ColocationGroup::replicas).sum();
        for (List<PlanTuple> ts : tuples.values()) {
            n += ts.stream().filter(t -> !t.shared()).mapToInt(PlanTuple::replicas).sum();
        }
        return n;
    }
}
