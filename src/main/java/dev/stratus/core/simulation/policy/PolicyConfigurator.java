package dev.stratus.core.simulation.policy;

import dev.stratus.core.simulation.SimWorkload;

/**
 * Turns a workload into what one policy deploys: the starting replica groups and the scaling policy that runs
 * them. This is where planners plug in (an adapter from a Plan to groups plus {@code ScalingPolicy.none()}), so the
 * engine never changes when a policy is added. Each call returns a fresh policy instance (policies keep state).
 */
public interface PolicyConfigurator {

    /** The name the command line uses, e.g. {@code triton-hpa}. */
    String name();

    PolicySetup configure(SimWorkload workload);
}
