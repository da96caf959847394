package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A status condition in the Kubernetes shape, each carrying the generation it reflects. */
@JsonClassDescription("A condition in the Kubernetes shape (metav1.Condition).")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // status written by another version must not break the watch
public record Condition(
        @JsonPropertyDescription("Profiled, Planned, Ready or SLOMet (InferenceModel); Planned, Ready (others).")
        String type,
        @JsonPropertyDescription("True, False or Unknown.")
        String status,
        @JsonPropertyDescription("CamelCase reason for the status.")
        String reason,
        @JsonPropertyDescription("Human-readable detail; names the field at fault when the spec is.")
        String message,
        @JsonPropertyDescription("When status last changed (RFC 3339).")
        String lastTransitionTime,
        @JsonPropertyDescription("The metadata.generation this condition was computed from.")
        Long observedGeneration) {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    @JsonIgnore
    public boolean isTrue() {
        return TRUE.equals(status);
    }
}
