package dev.stratus.core.simulation;

import java.util.List;

/**
 * What a scaling policy sees of one replica group over the last control period: replica counts now (ready, still
 * starting, draining), requests dispatched to it, items that started execution, drops, busy replica-seconds and
 * available (ready or draining) replica-seconds, the time-averaged number of requests in the group (queued plus
 * executing: Knative's concurrency), and the counts at this instant.
 */
public record GroupObservation(
        int group,
        List<String> models,
        int ready,
        int starting,
        int draining,
        long arrivals,
        long completed,
        long dropped,
        double busyReplicaSeconds,
        double availableReplicaSeconds,
        double meanInSystem,
        int inSystem,
        int queued) {

    /** Replicas the group is asking for: ready plus starting (draining ones are on their way out). */
    public int replicas() {
        return ready + starting;
    }

    /** Busy fraction of the available replica time, 0..1 (the analogue of CPU utilisation for HPA). */
    public double utilisation() {
        return availableReplicaSeconds > 0 ? Math.min(1, busyReplicaSeconds / availableReplicaSeconds) : 0;
    }
}
