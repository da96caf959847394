package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What a gateway needs to route a model to one worker group's serving pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // status written by another version must not break the watch
public record RouteGroup(
        @JsonPropertyDescription("Worker group id, <models>@<pool>.")
        String group,
        @JsonPropertyDescription("Value of the stratus.dev/group label on the group's pods.")
        String label,
        @JsonPropertyDescription("Batch size the group's replicas are dispatched for.")
        Integer batch,
        @JsonPropertyDescription("Mean latency of one such batch, in milliseconds.")
        Double meanBatchMs,
        @JsonPropertyDescription("Conservative (high-percentile) latency of one such batch, in milliseconds.")
        Double batchLatencyMs) {
}
