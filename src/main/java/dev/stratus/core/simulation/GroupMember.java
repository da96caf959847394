package dev.stratus.core.simulation;

/**
 * One model served by the replicas of a group: its batch size (the dynamic batcher's max), max queue delay (ms)
 * and the share of the model's requests this group receives, relative to the model's other groups.
 */
public record GroupMember(String model, int batch, double maxQueueDelayMs, double share) {
    public GroupMember {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("group member model must be set");
        }
        if (batch < 1 || maxQueueDelayMs < 0 || share < 0) {
            throw new IllegalArgumentException("model " + model + ": batch >= 1, maxQueueDelayMs >= 0, share >= 0 required");
        }
    }
}
