package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** One edge of an InferencePipeline's DAG. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineEdgeSpec(
        @Required
        @JsonPropertyDescription("Upstream stage (a model name).")
        String from,
        @Required
        @JsonPropertyDescription("Downstream stage (a model name).")
        String to,
        @JsonPropertyDescription("Requests sent downstream per upstream request (e.g. text boxes per image). "
                + "Default: 1.")
        @Minimum(value = 0, exclusive = true)
        Double fanOut,
        @JsonPropertyDescription("Processing tensors only: the upstream outputs this edge passes, each mapped to the "
                + "downstream input it becomes (output name: input name). Default: every output, under its own name.")
        Map<String, String> tensors) {

    public PipelineEdgeSpec {
        tensors = tensors == null ? null : Map.copyOf(tensors);
    }
}
