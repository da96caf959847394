package dev.stratus.core.model.plan;

import java.util.List;
import java.util.Optional;

/**
 * The planner's answer: per model its tuples, the co-location groups, the pipeline budget splits, the total
 * cost per hour of every replica, and why, as human-readable lines. {@code policy} names the policy that made it
 * (stratus, nexus, static-peak, ...) and {@code solver} the search (heuristic or exact).
 */
public record Plan(
        String policy,
        String solver,
        List<ModelPlan> modelPlans,
        List<ColocationGroup> groups,
        List<PipelinePlan> pipelines,
        double costPerHour,
        List<String> explanation) {

    public Plan {
        policy = Checks.name("policy", policy);
        solver = Checks.name("solver", solver);
        modelPlans = List.copyOf(modelPlans);
        groups = List.copyOf(groups);
        pipelines = List.copyOf(pipelines);
        Checks.nonNegative("costPerHour", costPerHour);
        explanation = List.copyOf(explanation);
    }

    public Optional<ModelPlan> modelPlan(String model) {
        return modelPlans.stream().filter(p -> p.model().equals(model)).findFirst();
    }

    /** Replicas the plan occupies in a pool: dedicated tuples plus co-location groups. */
    public int replicasIn(String pool) {
        int dedicated = modelPlans.stream().flatMap(p -> p.tuples().stream())
                .filter(t -> !t.shared() && t.pool().equals(pool)).mapToInt(PlanTuple::replicas).sum();
        return dedicated + groups.stream().filter(g -> g.pool().equals(pool)).mapToInt(ColocationGroup::replicas).sum();
    }
}
