package dev.stratus.core.simulation.policy;

import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingPolicy;
import dev.stratus.core.simulation.SimConfig;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.SimWorkload;
import java.util.List;
import java.util.Map;

/**
 * A policy's deployment: starting groups, the policy driving them, and whether its scale-ups are pre-warmed.
 * {@code sloMsOverrides} replaces some models' SLOs for this policy's run: a pipeline stage has no SLO of its own and
 * is measured against the stage budget the policy's plan gave it (each policy splits a pipeline's SLO its own way).
 */
public record PolicySetup(List<ReplicaGroup> groups, ScalingPolicy policy, boolean prewarmed,
        Map<String, Double> sloMsOverrides) {

    public PolicySetup {
        groups = List.copyOf(groups);
        sloMsOverrides = sloMsOverrides == null ? Map.of() : Map.copyOf(sloMsOverrides);
    }

    public PolicySetup(List<ReplicaGroup> groups, ScalingPolicy policy, boolean prewarmed) {
        this(groups, policy, prewarmed, Map.of());
    }

    public SimConfig toConfig(SimWorkload workload) {
        return new SimConfig(workloadFor(workload), groups, prewarmed);
    }

    /** The workload with this policy's SLO overrides applied (the same instance when there are none). */
    public SimWorkload workloadFor(SimWorkload workload) {
        if (sloMsOverrides.isEmpty()) {
            return workload;
        }
        List<SimModel> models = workload.models().stream().map(m -> {
            Double slo = sloMsOverrides.get(m.name());
            return slo == null ? m : new SimModel(m.name(), slo, m.targetAttainment(), m.serviceTime(), m.coldStart(),
                    m.coldStartCached(), m.arrivals());
        }).toList();
        return new SimWorkload(models, workload.pools(), workload.durationSeconds(), workload.controlPeriodSeconds(),
                workload.overhead());
    }
}
