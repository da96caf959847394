package dev.stratus.core.model.fleet;

/**
 * Where a replica is in its life. STARTING replicas load and warm their models; a READY replica is either a
 * STANDBY (warm pool: loaded, warmed, no traffic) or SERVING (routed to); DRAINING ones finish what they have
 * and stop; FAILED ones died without being asked to.
 */
public enum ReplicaState {
    STARTING,
    STANDBY,
    SERVING,
    DRAINING,
    FAILED
}
