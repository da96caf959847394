package dev.stratus.core.autoscaling;

import java.util.Objects;

/**
 * A serving replica count after applying {@link ReplicaBounds}, with the reason when the bounds changed it.
 *
 * @param requested what the plan asked for
 * @param replicas  what to run: {@code requested} clamped into the bounds
 * @param clamped   whether the bounds changed it (worth an event: at max, demand above this is at risk)
 */
public record ReplicaTarget(int requested, int replicas, boolean clamped, String reason) {

    public ReplicaTarget {
        Objects.requireNonNull(reason, "reason");
        if (requested < 0 || replicas < 0) {
            throw new IllegalArgumentException("replica counts must be >= 0");
        }
    }

    public static ReplicaTarget clamp(int requested, ReplicaBounds bounds) {
        if (requested < 0) {
            throw new IllegalArgumentException("requested must be >= 0: " + requested);
        }
        if (requested > bounds.max()) {
            return new ReplicaTarget(requested, bounds.max(), true,
                    "requested " + requested + " replicas, capped at max " + bounds.max());
        }
        if (requested < bounds.min()) {
            return new ReplicaTarget(requested, bounds.min(), true,
                    "requested " + requested + " replicas, raised to min " + bounds.min());
        }
        return new ReplicaTarget(requested, requested, false, requested + " replicas within " + bounds);
    }

    /**
     * Replicas for a rate when each sustains {@code perReplicaRate} (from the plan's batch and latency), clamped.
     * A millionth of a replica is float noise: 100.0000001/s at 10/s each is 10 replicas, not 11.
     */
    public static ReplicaTarget forRate(double plannedRate, double perReplicaRate, ReplicaBounds bounds) {
        if (!(plannedRate >= 0) || !(perReplicaRate > 0) || Double.isInfinite(plannedRate)) {
            throw new IllegalArgumentException("need plannedRate >= 0 and finite, perReplicaRate > 0");
        }
        int requested = (int) Math.min(Integer.MAX_VALUE, Math.ceil(plannedRate / perReplicaRate - 1e-6));
        return clamp(Math.max(0, requested), bounds);
    }
}
