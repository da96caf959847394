package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A model's latency objective as written in an InferenceModel. */
@JsonClassDescription("Latency objective: percentile of requests answered within latencyMs, at the client.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SloSpec(
        @Required
        @JsonPropertyDescription("Latency bound in milliseconds, network included.")
        @Minimum(value = 0, exclusive = true)
        Double latencyMs,
        @JsonPropertyDescription("Percentile of requests that must meet latencyMs, in (0, 100). Default: 99.")
        @Minimum(value = 0, exclusive = true)
        @Maximum(value = 100, exclusive = true)
        Double percentile,
        @JsonPropertyDescription("Fraction of time windows that must meet the objective, in (0, 1]. Default: 0.99.")
        @Minimum(value = 0, exclusive = true)
        @Maximum(1)
        Double targetAttainment) {
}
