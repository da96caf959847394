package dev.stratus.core.simulation;

/**
 * How the gateway spreads one model's requests over the ready replicas of a group. (Across groups it always
 * uses weighted round robin by each group's share; see {@code docs/simulation.md}.)
 */
public enum SimDispatch {
    /** Fill one replica's batch (send it as many consecutive requests as its batch size), then the next. */
    BATCH_AWARE,
    /** One request per replica in turn (Kubernetes Service / Triton behind a load balancer). */
    ROUND_ROBIN
}
