package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What the gateways saw of a model over the last status period; refreshed at most once a period, and only when a
 * value moved, so that a steady model causes no status writes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // status written by another version must not break the watch
public record ObservedTraffic(
        @JsonPropertyDescription("Requests per second arriving at the gateways (admitted and shed).")
        Double ratePerSecond,
        @JsonPropertyDescription("99th percentile latency of successful answers, in milliseconds.")
        Double p99Ms,
        @JsonPropertyDescription("Share of requests answered successfully within the SLO, in [0, 1].")
        Double attainment,
        @JsonPropertyDescription("Requests shed at the gateway (admission control or no ready replica) per second.")
        Double shedPerSecond,
        @JsonPropertyDescription("End of the period these figures cover (RFC 3339).")
        String sampledAt) {
}
