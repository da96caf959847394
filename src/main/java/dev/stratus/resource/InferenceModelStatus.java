package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The status of an InferenceModel, computed by the status aggregator and written only when it changed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // status written by another version must not break the watch
public record InferenceModelStatus(
        @JsonPropertyDescription("The metadata.generation this status reflects.")
        Long observedGeneration,
        @JsonPropertyDescription("Profiled, Planned, Ready, SLOMet.")
        List<Condition> conditions,
        @JsonPropertyDescription("Profiles found for the hardware of the allowed pools.")
        List<ProfileSummary> profiles,
        @JsonPropertyDescription("The chosen plan: one or more tuples.")
        List<PlanTupleStatus> plan,
        @JsonPropertyDescription("Share of the load planned at the edge, in [0, 1].")
        Double edgeShare,
        @JsonPropertyDescription("Replicas by state.")
        ModelReplicas replicas,
        @JsonPropertyDescription("Observed traffic over the last status period.")
        ObservedTraffic observed,
        @JsonPropertyDescription("Cost per hour of the replicas serving the model (its share of shared ones).")
        Double costPerHour,
        @JsonPropertyDescription("Routing facts for the gateways.")
        ModelRouting routing) {

    public InferenceModelStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        profiles = profiles == null ? null : List.copyOf(profiles);
        plan = plan == null ? null : List.copyOf(plan);
    }
}
