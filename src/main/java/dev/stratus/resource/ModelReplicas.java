package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Replicas of a model's groups by state, counted from the observed pods (or processes). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // status written by another version must not break the watch
public record ModelReplicas(
        @JsonPropertyDescription("Ready replicas taking traffic.")
        Integer serving,
        @JsonPropertyDescription("Ready warm-pool replicas (loaded, warmed, not routed).")
        Integer standby,
        @JsonPropertyDescription("Replicas loading and warming up.")
        Integer starting,
        @JsonPropertyDescription("Serving replicas the plan wants, scaling bounds applied.")
        Integer desiredServing,
        @JsonPropertyDescription("Standby replicas the warm-pool rule wants.")
        Integer desiredStandby) {
}
