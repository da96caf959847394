package dev.stratus.core.simulation;

import java.util.List;

/** A replica-count change the simulator applied: when, to which group, from and to how many, and the policy's reason. */
public record ScalingEvent(double atSeconds, int group, String pool, List<String> models, int fromReplicas,
        int toReplicas, String reason) {
    public ScalingEvent {
        models = List.copyOf(models);
    }
}
