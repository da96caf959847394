package dev.stratus.core.simulation;

/**
 * One model served by the replicas of a group: its batch size (the dynamic batcher's max), max queue delay (ms)
 * and the share of the model's requests this group receives, relative to the model's other groups.
 * {@code serviceTime} is how long the model's batches take on this group's pool, when that differs from the model's
 * own {@link SimModel#serviceTime()} (another hardware class, or a faster pool of the same class); null means the
 * model's.
 */
public record GroupMember(String model, int batch, double maxQueueDelayMs, double share, ServiceTime serviceTime) {
    public GroupMember {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("group member model must be set");
        }
        if (batch < 1 || maxQueueDelayMs < 0 || share < 0) {
            throw new IllegalArgumentException("model " + model + ": batch >= 1, maxQueueDelayMs >= 0, share >= 0 required");
        }
    }

    /** A member running at the model's own service time. */
    public GroupMember(String model, int batch, double maxQueueDelayMs, double share) {
        this(model, batch, maxQueueDelayMs, share, null);
    }

    /** The service time on this group: the member's own when set, else the model's. */
    public ServiceTime serviceTimeOf(SimModel m) {
        return serviceTime != null ? serviceTime : m.serviceTime();
    }
}
