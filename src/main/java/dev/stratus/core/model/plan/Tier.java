package dev.stratus.core.model.plan;

/** Where a pool sits: at an edge site next to the clients, or in a cloud region. */
public enum Tier {
    EDGE,
    CLOUD
}
