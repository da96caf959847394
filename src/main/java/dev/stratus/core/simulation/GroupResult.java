package dev.stratus.core.simulation;

import java.util.List;

/**
 * One replica group's cost over the simulated duration: paid replica-hours (starting, ready and draining replicas
 * all count) and dollars, replica counts at the start, end and peak, the busy fraction of its available time, and
 * the requests the gateway sent it.
 */
public record GroupResult(
        int group,
        String pool,
        List<String> models,
        double costPerHour,
        double replicaHours,
        double costDollars,
        int initialReplicas,
        int finalReplicas,
        int peakReplicas,
        double utilisation,
        long dispatched) {
    public GroupResult {
        models = List.copyOf(models);
    }
}
