package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One tuple of a model's chosen plan, as the status shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // status written by another version must not break the watch
public record PlanTupleStatus(
        @JsonPropertyDescription("AcceleratorPool of the tuple.")
        String pool,
        @JsonPropertyDescription("Batch size the tuple is sized for.")
        Integer batch,
        @JsonPropertyDescription("Longest wait for a batch to fill, in milliseconds.")
        Double maxQueueDelayMs,
        @JsonPropertyDescription("Serving replicas of the tuple (a co-location group's replicas when shared).")
        Integer replicas,
        @JsonPropertyDescription("Requests per second the tuple carries.")
        Double ratePerSecond,
        @JsonPropertyDescription("Worst latency predicted for its requests, in milliseconds, network included.")
        Double predictedWorstLatencyMs,
        @JsonPropertyDescription("Co-location group the tuple shares replicas with; absent when dedicated.")
        String colocationGroup) {
}
