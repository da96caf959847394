package dev.stratus.core.simulation.policy;

import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingPolicy;
import dev.stratus.core.simulation.SimWorkload;
import java.util.List;

/**
 * A fixed deployment that never scales, given as explicit groups (a static plan: stratus, nexus, static-peak as the
 * planner or the scenario file wrote it).
 */
public record StaticConfigurator(String name, List<ReplicaGroup> groups) implements PolicyConfigurator {

    public StaticConfigurator {
        groups = List.copyOf(groups);
    }

    @Override
    public PolicySetup configure(SimWorkload workload) {
        return new PolicySetup(groups, ScalingPolicy.none(), false);
    }
}
