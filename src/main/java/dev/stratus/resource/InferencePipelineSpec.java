package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The spec of an InferencePipeline: a DAG of models with one end-to-end objective. */
@JsonClassDescription("A DAG of models with one end-to-end latency objective, split into per-stage budgets.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferencePipelineSpec(
        @Required
        @JsonPropertyDescription("The models of the pipeline (InferenceModel names).")
        List<String> stages,
        @JsonPropertyDescription("Edges between stages; a stage with no incoming edge receives the pipeline's "
                + "requests.")
        List<PipelineEdgeSpec> edges,
        @Required
        @JsonPropertyDescription("End-to-end latency objective in milliseconds (every path through the DAG).")
        @Minimum(value = 0, exclusive = true)
        Double sloMs,
        @JsonPropertyDescription("Expected pipeline requests per second.")
        @Minimum(0)
        Double ratePerSecond,
        @JsonPropertyDescription("What the gateway does between the stages: tensors (default: tensors passed by "
                + "name, Triton ensemble style) or ppocr (an image in, text lines out, PP-OCR's processing around a "
                + "detector -> optional direction classifier -> recogniser chain).")
        PipelineProcessing processing) implements ResourceSpec {

    public InferencePipelineSpec {
        stages = stages == null ? null : List.copyOf(stages);
        edges = edges == null ? null : List.copyOf(edges);
    }
}
