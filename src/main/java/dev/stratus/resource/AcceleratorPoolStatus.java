package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The status of an AcceleratorPool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // status written by another version must not break the watch
public record AcceleratorPoolStatus(
        @JsonPropertyDescription("The metadata.generation this status reflects.")
        Long observedGeneration,
        @JsonPropertyDescription("Ready: the pool is valid and offered to the planner.")
        List<Condition> conditions,
        @JsonPropertyDescription("Replicas the plan places in the pool (serving and standby).")
        Integer replicasInUse,
        @JsonPropertyDescription("The pool's maxReplicas.")
        Integer maxReplicas,
        @JsonPropertyDescription("Cost per hour of the replicas in use.")
        Double costPerHour) {

    public AcceleratorPoolStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
