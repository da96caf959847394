package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec of an InferenceModel: one ONNX model, its objective, expected load, where it may run and its scaling
 * bounds. Read from local files and admin API bodies, and the {@code spec} of the Kubernetes resource.
 */
@JsonClassDescription("One ONNX model served under a latency SLO at the lowest cost.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceModelSpec(
        @JsonPropertyDescription("Where the model file comes from. Default: the catalog's entry of the same name "
                + "(the samples, and in local mode your own models).")
        SourceSpec source,
        @JsonPropertyDescription("The model's own latency objective; may be absent for a model that is only a "
                + "pipeline stage.")
        SloSpec slo,
        @JsonPropertyDescription("Requests per second expected before any is observed; the autoscaler follows the "
                + "observed rate after that.")
        @Minimum(0)
        Double expectedRatePerSecond,
        @JsonPropertyDescription("AcceleratorPools the model may run on; empty means every pool.")
        List<String> allowedPools,
        @JsonPropertyDescription("Serve at the edge while capacity and the SLO allow, spilling the rest to cloud.")
        Boolean edgePreference,
        @JsonPropertyDescription("Memory one loaded copy needs in a replica, in MB. Default: 512.")
        @Minimum(value = 0, exclusive = true)
        Double memoryMb,
        @JsonPropertyDescription("Largest batch the model accepts (1: never batched). Default: the catalog's.")
        @Minimum(1)
        Integer maxBatch,
        @JsonPropertyDescription("Scaling bounds and warm pool.")
        ScalingSpec scaling,
        @JsonPropertyDescription("Warm-up shape of one item (batch dimension 1) by input name, for a model no "
                + "catalog describes whose inputs have dynamic dimensions besides the batch, e.g. "
                + "{x: [1, 3, 48, 192]}. Local mode.")
        Map<String, List<Long>> inputShapes) implements ResourceSpec {

    public InferenceModelSpec {
        allowedPools = allowedPools == null ? null : List.copyOf(allowedPools);
        inputShapes = inputShapes == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(inputShapes));
    }

    /** The same spec with {@code maxBatch} set (a default the service found, e.g. from the model file). */
    public InferenceModelSpec withMaxBatch(Integer value) {
        return new InferenceModelSpec(source, slo, expectedRatePerSecond, allowedPools, edgePreference, memoryMb,
                value, scaling, inputShapes);
    }
}
