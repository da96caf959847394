package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The status of an InferencePipeline. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // status written by another version must not break the watch
public record InferencePipelineStatus(
        @JsonPropertyDescription("The metadata.generation this status reflects.")
        Long observedGeneration,
        @JsonPropertyDescription("Planned, Ready.")
        List<Condition> conditions,
        @JsonPropertyDescription("Per-stage latency budgets, in topological order.")
        List<StageBudget> stageBudgets,
        @JsonPropertyDescription("Worst predicted source-to-sink latency, in milliseconds.")
        Double predictedWorstPathMs) {

    public InferencePipelineStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        stageBudgets = stageBudgets == null ? null : List.copyOf(stageBudgets);
    }
}
