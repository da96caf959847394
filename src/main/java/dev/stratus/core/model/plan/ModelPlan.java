package dev.stratus.core.model.plan;

import java.util.List;
import java.util.Map;

/**
 * The plan of one model: its tuples (several when capacity is split across batch sizes or pools), the latency
 * budget they were sized for (its SLO, or its pipeline stage's share), the worst latency the planner predicts for
 * any of its requests (network included), the share of its load served at the edge, and policy parameters a
 * dynamic baseline starts from (e.g. {@code targetUtilisation}; empty for static policies).
 */
public record ModelPlan(
        String model,
        List<PlanTuple> tuples,
        double latencyBudgetMs,
        double predictedWorstLatencyMs,
        double edgeShare,
        Map<String, Double> parameters) {

    public ModelPlan {
        model = Checks.name("model", model);
        tuples = List.copyOf(tuples);
        if (tuples.isEmpty()) {
            throw new IllegalArgumentException("tuples: a planned model needs at least one tuple");
        }
        Checks.positive("latencyBudgetMs", latencyBudgetMs);
        Checks.nonNegative("predictedWorstLatencyMs", predictedWorstLatencyMs);
        if (!(edgeShare >= 0 && edgeShare <= 1 + 1e-9)) {
            throw new IllegalArgumentException("edgeShare: must be in [0, 1], got " + edgeShare);
        }
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    public ModelPlan(String model, List<PlanTuple> tuples, double latencyBudgetMs, double predictedWorstLatencyMs,
                     double edgeShare) {
        this(model, tuples, latencyBudgetMs, predictedWorstLatencyMs, edgeShare, Map.of());
    }

    /** Total rate the tuples carry. */
    public double ratePerSecond() {
        return tuples.stream().mapToDouble(PlanTuple::ratePerSecond).sum();
    }

    /** The fraction of the model's load a tuple carries. */
    public double share(PlanTuple tuple) {
        double total = ratePerSecond();
        return total > 0 ? tuple.ratePerSecond() / total : 1.0 / tuples.size();
    }
}
