package dev.stratus.core.simulation;

import java.util.List;

/**
 * A dynamic policy, consulted every control period with what happened since the last one. It may change replica
 * counts (cold starts are the simulator's business) and may adapt batch sizes through {@link BatchSizing}. One
 * instance serves one run: it may keep state between calls.
 */
public interface ScalingPolicy {

    /** Replica-count changes to apply now; empty for none. */
    List<ScalingDecision> onTick(ControlSnapshot snapshot);

    /** How replicas of {@code group} size their batches for {@code member}; fixed unless the policy adapts them. */
    default BatchSizing batchSizing(int group, GroupMember member) {
        return BatchSizing.FIXED;
    }

    /** No scaling: the starting configuration is kept (static plans: stratus, nexus, static-peak). */
    static ScalingPolicy none() {
        return snapshot -> List.of();
    }
}
