package dev.stratus.core.model.fleet;

import dev.stratus.core.model.plan.Pipeline;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a gateway serves a pipeline as an endpoint of its own: the pipeline (its stages and edges), its
 * end-to-end latency SLO (every request's deadline is at most this), the latency budget the plan gave each stage
 * (each stage request's deadline is at most its budget), and how tensors flow between the stages.
 */
public record PipelineRoute(Pipeline pipeline, double sloMs, Map<String, Double> stageBudgetsMs,
        PipelineWiring wiring) {
    public PipelineRoute {
        if (!(sloMs > 0)) {
            throw new IllegalArgumentException("pipeline " + pipeline.name() + ": SLO must be > 0 ms");
        }
        stageBudgetsMs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageBudgetsMs));
        for (String stage : pipeline.stages()) {
            Double b = stageBudgetsMs.get(stage);
            if (b == null || !(b > 0)) {
                throw new IllegalArgumentException("pipeline " + pipeline.name() + ": stage " + stage
                        + " needs a budget > 0 ms");
            }
        }
    }

    public String name() {
        return pipeline.name();
    }

    public double budgetMs(String stage) {
        return stageBudgetsMs.get(stage);
    }
}
