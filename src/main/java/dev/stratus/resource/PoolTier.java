package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where an AcceleratorPool sits, as written in resources: {@code edge} or {@code cloud}. */
public enum PoolTier {
    @JsonProperty("edge")
    EDGE,
    @JsonProperty("cloud")
    CLOUD
}
