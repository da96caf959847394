package dev.stratus.core.simulation.policy;

import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingPolicy;
import dev.stratus.core.simulation.SimConfig;
import dev.stratus.core.simulation.SimWorkload;
import java.util.List;

/** A policy's deployment: starting groups, the policy driving them, and whether its scale-ups are pre-warmed. */
public record PolicySetup(List<ReplicaGroup> groups, ScalingPolicy policy, boolean prewarmed) {

    public PolicySetup {
        groups = List.copyOf(groups);
    }

    public SimConfig toConfig(SimWorkload workload) {
        return new SimConfig(workload, groups, prewarmed);
    }
}
