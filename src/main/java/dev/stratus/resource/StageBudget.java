package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One stage's share of a pipeline's latency objective. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // status written by another version must not break the watch
public record StageBudget(
        @JsonPropertyDescription("The stage (an InferenceModel name).")
        String model,
        @JsonPropertyDescription("Latency budget of the stage, in milliseconds.")
        Double budgetMs) {
}
