package dev.stratus.core.simulation.policy;

import dev.stratus.core.simulation.BatchSizing;
import dev.stratus.core.simulation.ControlSnapshot;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingDecision;
import dev.stratus.core.simulation.ScalingPolicy;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.SimWorkload;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The dynamic baselines as {@link PolicyConfigurator}s. Each starts from explicit groups when the scenario gives
 * them, else from {@link BaselineDeployment}'s one-group-per-model sizing.
 */
public final class Configurators {
    private Configurators() {
    }

    /**
     * {@code triton-hpa}: Triton-style fixed dynamic batching (max batch, max queue delay) behind round-robin load
     * balancing, scaled by the Kubernetes HPA on utilisation ({@link HpaPolicy}).
     */
    public static PolicyConfigurator tritonHpa(String name, HpaSettings hpa, BaselineDeployment deployment,
            Optional<List<ReplicaGroup>> start, boolean prewarmed) {
        return new Dynamic(name, w -> new PolicySetup(start.orElseGet(() -> deployment.groups(w)),
                new HpaPolicy(hpa), prewarmed));
    }

    /**
     * {@code kpa}: the same serving path scaled by Knative's KPA on concurrency ({@link KpaPolicy}); the target per
     * replica defaults to the group's total batch size.
     */
    public static PolicyConfigurator kpa(String name, KpaSettings kpa, BaselineDeployment deployment,
            Optional<List<ReplicaGroup>> start, boolean prewarmed) {
        return new Dynamic(name, w -> {
            List<ReplicaGroup> groups = start.orElseGet(() -> deployment.groups(w));
            return new PolicySetup(groups, new KpaPolicy(kpa, g -> kpa.targetConcurrency() > 0 ? kpa.targetConcurrency()
                    : groups.get(g).members().stream().mapToInt(GroupMember::batch).sum()), prewarmed);
        });
    }

    /**
     * {@code clipper-aimd}: a fixed number of replicas (Clipper does not autoscale), each adapting its batch cap by
     * AIMD ({@link AimdBatchSizing}) up to the model's largest batch. Without explicit groups, replicas are sized for
     * the peak rate at the Nexus half-SLO batch (the largest b with l(b) ≤ (SLO − RTT)/2), a batch AIMD can reach.
     */
    public static PolicyConfigurator clipperAimd(String name, AimdSettings aimd, BaselineDeployment deployment,
            Optional<List<ReplicaGroup>> start) {
        AimdBatchSizing sizing = new AimdBatchSizing(aimd);
        return new Dynamic(name, w -> {
            List<ReplicaGroup> groups = start.orElseGet(() -> deployment.groups(w, m -> halfSloBatch(m, w, deployment)));
            ScalingPolicy policy = new ScalingPolicy() {
                @Override
                public List<ScalingDecision> onTick(ControlSnapshot s) {
                    return List.of();
                }

                @Override
                public BatchSizing batchSizing(int group, GroupMember member) {
                    return sizing;
                }
            };
            return new PolicySetup(groups, policy, false);
        });
    }

    /** Nexus' GetMaxBatch: the largest b with mean l(b) ≤ (SLO − RTT)/2, at least 1. */
    static int halfSloBatch(SimModel m, SimWorkload w, BaselineDeployment d) {
        double rtt = d.pool() == null ? w.pools().get(0).networkRttMs() : w.requirePool(d.pool()).networkRttMs();
        double budget = (m.sloMs() - rtt) / 2;
        int best = 1;
        for (int b = 1; b <= d.batchFor(m); b++) {
            if (m.serviceTime().meanMs(b) <= budget) {
                best = b;
            }
        }
        return best;
    }

    private record Dynamic(String name, Function<SimWorkload, PolicySetup> setup)
            implements PolicyConfigurator {
        @Override
        public PolicySetup configure(SimWorkload workload) {
            return setup.apply(workload);
        }
    }
}
