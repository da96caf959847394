package dev.stratus.core.model.fleet;

/** Desired replicas of one group: how many serve traffic and how many wait warm in the pool. */
public record GroupTarget(WorkerGroupSpec spec, int serving, int standby) {
    public GroupTarget {
        if (serving < 0 || standby < 0) {
            throw new IllegalArgumentException("group " + spec.groupId() + ": replica counts must be >= 0");
        }
    }
}
