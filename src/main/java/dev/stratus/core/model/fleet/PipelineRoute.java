package dev.stratus.core.model.fleet;

import dev.stratus.core.model.plan.Pipeline;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a gateway serves a pipeline as an endpoint of its own: the pipeline (its stages and edges), its
 * end-to-end latency SLO (every request's deadline is at most this), the latency budget the plan gave each stage
 * (a stage request gets at least its budget, plus the slack earlier stages left; see {@link #stageDeadlineNanos}),
 * and how tensors flow between the stages.
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

    /**
     * The time the stages after {@code stage} need: the largest sum of budgets along any path from it to a sink,
     * itself excluded (0 for a sink).
     */
    public double reservedAfterMs(String stage) {
        if (!pipeline.stages().contains(stage)) {
            throw new IllegalArgumentException("pipeline " + pipeline.name() + " has no stage " + stage);
        }
        Map<String, Double> reserved = new HashMap<>();
        List<String> order = pipeline.topologicalOrder();
        for (int i = order.size() - 1; i >= 0; i--) {
            String s = order.get(i);
            reserved.put(s, pipeline.outgoing(s).stream()
                    .mapToDouble(e -> budgetMs(e.to()) + reserved.get(e.to())).max().orElse(0));
        }
        return reserved.get(stage);
    }

    /**
     * The deadline of a request for {@code stage} that starts at {@code nowNanos}, in a pipeline request due at
     * {@code pipelineDeadlineNanos}. The stage's budget is what the plan sized its replicas for; but what the client
     * holds us to is the end-to-end deadline, so a stage also gets the slack its predecessors left (the pipeline's
     * deadline less what the stages after it need), never less than its own budget and never past the pipeline's
     * deadline. A stage that ran early thus does not make a later one fail on a budget the request as a whole
     * could still afford; a stage that ran late still leaves the later ones their budgets where it can.
     */
    public long stageDeadlineNanos(String stage, long nowNanos, long pipelineDeadlineNanos) {
        long ownBudget = nowNanos + (long) (budgetMs(stage) * 1e6);
        long withSlack = pipelineDeadlineNanos - (long) (reservedAfterMs(stage) * 1e6);
        return Math.min(pipelineDeadlineNanos, Math.max(ownBudget, withSlack));
    }
}
