package dev.stratus.core.model;

/** Lifecycle of a model inside a worker. Only READY models take inference requests. */
public enum ModelState {
    LOADING, WARMING, READY, DRAINING, FAILED
}
