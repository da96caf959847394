package dev.stratus.control;

import dev.stratus.core.model.plan.PlanRequest;
import java.util.Map;

/**
 * What the control service runs: pools, models (with their SLOs and expected load) and pipelines as the
 * planner reads them, plus each model's scaling bounds. Built from AcceleratorPool / InferenceModel /
 * InferencePipeline documents (files or admin API bodies).
 */
public record ServiceSpec(PlanRequest request, Map<String, ModelScaling> scaling) {
    public ServiceSpec {
        scaling = Map.copyOf(scaling);
    }

    public ModelScaling scaling(String model) {
        return scaling.getOrDefault(model, ModelScaling.DEFAULT);
    }
}
