package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The routing facts of a model that in-cluster gateways read, with the serving pods they discover themselves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // status written by another version must not break the watch
public record ModelRouting(
        @JsonPropertyDescription("Deadline of every request, in milliseconds (the SLO).")
        Double sloMs,
        @JsonPropertyDescription("BATCH_AWARE or ROUND_ROBIN.")
        String dispatch,
        @JsonPropertyDescription("Worker groups serving the model.")
        List<RouteGroup> groups) {

    public ModelRouting {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
