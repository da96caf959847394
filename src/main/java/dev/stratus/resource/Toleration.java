package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A pod toleration of a pool's nodes (the Kubernetes fields, so that users can copy them from node taints). */
@JsonClassDescription("A toleration given to the pool's pods, as in a Kubernetes pod spec.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Toleration(
        @JsonPropertyDescription("Taint key to tolerate; empty with operator Exists tolerates every taint.")
        String key,
        @JsonPropertyDescription("Exists or Equal (the default).")
        Operator operator,
        @JsonPropertyDescription("Taint value, for operator Equal.")
        String value,
        @JsonPropertyDescription("NoSchedule, PreferNoSchedule or NoExecute; empty matches every effect.")
        Effect effect,
        @JsonPropertyDescription("For NoExecute: seconds the pod stays bound after the taint appears.")
        @Minimum(0)
        Long tolerationSeconds) {

    /** How the key and value are matched. */
    public enum Operator { Exists, Equal }

    /** Which taint effect is tolerated. */
    public enum Effect { NoSchedule, PreferNoSchedule, NoExecute }
}
