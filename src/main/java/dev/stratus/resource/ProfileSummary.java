package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A short account of a model's profile on one hardware class. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // status written by another version must not break the watch
public record ProfileSummary(
        @JsonPropertyDescription("Hardware class the profile was measured on.")
        String hardwareId,
        @JsonPropertyDescription("Largest batch measured.")
        Integer maxBatch,
        @JsonPropertyDescription("Mean latency of batch 1, in milliseconds.")
        Double batch1MeanMs,
        @JsonPropertyDescription("Throughput at the largest batch, in items per second.")
        Double maxThroughputPerSecond) {
}
