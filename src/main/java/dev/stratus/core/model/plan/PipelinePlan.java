package dev.stratus.core.model.plan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a pipeline's end-to-end SLO was split: the latency budget of each stage (topological order), how it was
 * split ({@code method}), and the worst predicted source-to-sink path latency of the planned stages.
 */
public record PipelinePlan(String pipeline, Map<String, Double> stageBudgetsMs, String method, double predictedWorstPathMs) {
    public PipelinePlan {
        pipeline = Checks.name("pipeline", pipeline);
        stageBudgetsMs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageBudgetsMs));
        method = method == null ? "" : method;
        Checks.nonNegative("predictedWorstPathMs", predictedWorstPathMs);
    }
}
