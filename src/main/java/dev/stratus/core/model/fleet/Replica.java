package dev.stratus.core.model.fleet;

import java.util.List;

/**
 * One worker replica as the control plane sees it.
 *
 * @param startedAtMillis when its process was started (epoch ms)
 * @param readyAtMillis   when it became READY (epoch ms), 0 while starting
 */
public record Replica(String id, String groupId, String host, int port, ReplicaState state, List<String> models,
        long startedAtMillis, long readyAtMillis) {
    public Replica {
        models = List.copyOf(models);
    }
}
