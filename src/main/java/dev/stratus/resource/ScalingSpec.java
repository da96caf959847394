package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A model's scaling bounds as written in an InferenceModel. */
@JsonClassDescription("Bounds on the autoscaler: serving replicas per group and warm standbys kept beside them.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScalingSpec(
        @JsonPropertyDescription("Fewest serving replicas per group. Default: 1.")
        @Minimum(0)
        Integer minReplicas,
        @JsonPropertyDescription("Most serving replicas per group. Default: 4.")
        @Minimum(1)
        Integer maxReplicas,
        @JsonPropertyDescription("Pre-warmed standby replicas (loaded, warmed, not routed) kept per group. "
                + "Default: 1.")
        @Minimum(0)
        Integer warmPool) {
}
