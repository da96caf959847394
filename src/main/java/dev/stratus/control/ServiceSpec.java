package dev.stratus.control;

import dev.stratus.core.model.fleet.PipelineWiring;
import dev.stratus.core.model.plan.PlanRequest;
import java.util.Map;

/**
 * What the control service runs: pools, models (with their SLOs and expected load) and pipelines as the
 * planner reads them, plus each model's scaling bounds and how each pipeline's tensors flow at the gateway. Built
 * from AcceleratorPool / InferenceModel / InferencePipeline documents (files or admin API bodies).
 */
public record ServiceSpec(PlanRequest request, Map<String, ModelScaling> scaling, Map<String, PipelineWiring> wiring) {
    public ServiceSpec {
        scaling = Map.copyOf(scaling);
        wiring = Map.copyOf(wiring);
        for (var p : request.pipelines()) {
            if (request.models().stream().anyMatch(m -> m.name().equals(p.name()))) {
                throw new IllegalArgumentException("pipeline '" + p.name() + "': a model has the same name; the "
                        + "gateway serves both under /v2/models/{name}, so names must differ");
            }
        }
    }

    /** Every pipeline passing tensors by name. */
    public ServiceSpec(PlanRequest request, Map<String, ModelScaling> scaling) {
        this(request, scaling, Map.of());
    }

    public ModelScaling scaling(String model) {
        return scaling.getOrDefault(model, ModelScaling.DEFAULT);
    }

    /** How a pipeline's tensors flow at the gateway (by name unless its resource says otherwise). */
    public PipelineWiring wiring(String pipeline) {
        return wiring.getOrDefault(pipeline, PipelineWiring.BY_NAME);
    }
}
