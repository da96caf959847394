package dev.stratus.core.simulation;

import java.util.List;

/**
 * One simulated deployment: the workload, the replica groups serving it at the start, and whether scale-ups
 * start pre-warmed (the profile's cached cold start) or cold. Every model must be served by some group with a
 * positive share, with batch sizes the model's service time covers.
 */
public record SimConfig(SimWorkload workload, List<ReplicaGroup> groups, boolean prewarmed) {

    public SimConfig {
        groups = List.copyOf(groups);
        for (ReplicaGroup g : groups) {
            for (GroupMember member : g.members()) {
                SimModel model = workload.model(member.model()).orElseThrow(() -> new IllegalArgumentException(
                        "a replica group on " + g.pool() + " serves unknown model '" + member.model() + "'"));
                if (member.batch() > model.maxBatch()) {
                    throw new IllegalArgumentException("model " + model.name() + ": batch " + member.batch()
                            + " exceeds the largest batch its latency model covers (" + model.maxBatch() + ")");
                }
                if (member.batch() > member.serviceTimeOf(model).maxBatch()) {
                    throw new IllegalArgumentException("model " + model.name() + ": batch " + member.batch()
                            + " exceeds the largest batch its latency model on pool " + g.pool() + " covers ("
                            + member.serviceTimeOf(model).maxBatch() + ")");
                }
            }
        }
        for (SimModel m : workload.models()) {
            boolean served = groups.stream().flatMap(g -> g.members().stream())
                    .anyMatch(member -> member.model().equals(m.name()) && member.share() > 0);
            if (!served) {
                throw new IllegalArgumentException("model " + m.name() + " is served by no replica group with a share > 0");
            }
        }
    }
}
