package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

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
        Double fanOut) {
}
