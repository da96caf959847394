package dev.stratus.core.simulation;

import java.util.List;

/**
 * One replica group's cost over the simulated duration: paid replica-hours (starting, ready and draining replicas
 * all count) and dollars, replica counts at the start, end and peak, and the busy fraction of its available time.
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
        double utilisation) {
    public GroupResult {
        models = List.copyOf(models);
    }
}
