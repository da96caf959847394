package dev.stratus.core.autoscaling;

import java.util.Objects;

/**
 * One autoscaler decision or action, as shown by the admin API's events endpoint.
 *
 * @param model        model or co-location group name
 * @param fromReplicas count before (serving replicas, or standby replicas for the *_WARM kinds)
 * @param toReplicas   count after
 * @param reason       human-readable, with the numbers behind it
 */
public record ScalingEvent(long atMillis, String model, Kind kind, int fromReplicas, int toReplicas, String reason) {

    public enum Kind {
        /** Serving replicas increased. */
        SCALE_UP,
        /** Serving replicas decreased. */
        SCALE_DOWN,
        /** Standby replicas moved to serving (no cold start). */
        PROMOTE_WARM,
        /** New replicas started cold because the pool could not cover a scale-up. */
        START_COLD,
        /** New standby replicas started to bring the pool back to its target. */
        REFILL_WARM,
        /** Serving replicas drained and kept as standby instead of stopped. */
        DEMOTE_WARM,
        /** Replicas drained (stop receiving traffic, finish in-flight work) before stopping. */
        DRAIN,
        /** A failed or unhealthy replica restarted. */
        RESTART,
        /** A replica of a previous control service taken over after a restart (or found unusable and replaced). */
        ADOPT,
        /** The plan was recomputed (or held) for a new rate. */
        REPLAN,
        /**
         * A repository model's versions changed: the new default was checked (and profiled when new), replicas load
         * and warm it before routing moves, removed versions drain; or the change was refused, with the reason.
         */
        VERSION
    }

    public ScalingEvent {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if (fromReplicas < 0 || toReplicas < 0) {
            throw new IllegalArgumentException("replica counts must be >= 0");
        }
    }
}
