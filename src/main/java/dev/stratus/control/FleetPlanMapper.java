package dev.stratus.control;

import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupTarget;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import dev.stratus.core.model.plan.ColocationGroup;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanTuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a plan into worker groups for a backend: one group per model and pool ({@code <model>@<pool>}) and one
 * per co-location group ({@code <models joined by +>@<pool>}). A group's worker configuration comes from
 * {@link WorkerShape}, not from the tuple, so that it stays the same when a re-plan only changes rates: the
 * backend then scales the group in place and promotes its standbys, instead of replacing every replica. The
 * plan's batch size still governs dispatch (the gateway sends batch-sized runs to one replica).
 */
public final class FleetPlanMapper {
    private FleetPlanMapper() {
    }

    /**
     * @param serving  serving replicas for a group given the plan's count (bounds applied by the caller)
     * @param standby  warm standbys for a group given its serving count
     * @param threads  intra-op threads for a group's models on its pool (the profile's, so latencies match the plan)
     */
    public static FleetTarget target(Plan plan, ServingCount serving, StandbyCount standby,
            GroupThreads threads, WorkerShape shape) {
        Map<String, GroupTarget> groups = new LinkedHashMap<>();
        for (ModelPlan mp : plan.modelPlans()) {
            for (PlanTuple t : mp.tuples()) {
                if (t.shared()) {
                    continue;
                }
                String id = groupId(mp.model(), t.pool());
                WorkerGroupSpec spec = new WorkerGroupSpec(id, List.of(mp.model()),
                        Map.of(mp.model(), shape.maxBatch(mp.model())), Map.of(mp.model(), shape.maxQueueDelayMs(
                        mp.model())), threads.of(List.of(mp.model()), t.pool()));
                // Two tuples of one model on one pool (main and residual) are one group: replicas add up.
                GroupTarget previous = groups.get(id);
                int replicas = t.replicas() + (previous == null ? 0 : previous.serving());
                int n = serving.count(mp.model(), replicas);
                groups.put(id, new GroupTarget(spec, n, standby.count(mp.model(), n)));
            }
        }
        for (ColocationGroup g : plan.groups()) {
            Map<String, Integer> batch = new LinkedHashMap<>();
            Map<String, Double> delay = new LinkedHashMap<>();
            for (ColocationGroup.Member m : g.members()) {
                batch.put(m.model(), shape.maxBatch(m.model()));
                delay.put(m.model(), shape.maxQueueDelayMs(m.model()));
            }
            String id = String.join("+", g.models().stream().sorted().toList()) + "@" + g.pool();
            WorkerGroupSpec spec = new WorkerGroupSpec(id, g.models(), batch, delay, threads.of(g.models(), g.pool()));
            String first = g.models().get(0);
            int n = serving.count(first, g.replicas());
            groups.put(id, new GroupTarget(spec, n, standby.count(first, n)));
        }
        return new FleetTarget(new ArrayList<>(groups.values()));
    }

    public static String groupId(String model, String pool) {
        return model + "@" + pool;
    }

    /** How a model's workers are configured, whatever the rate. */
    public interface WorkerShape {
        int maxBatch(String model);

        double maxQueueDelayMs(String model);
    }

    @FunctionalInterface
    public interface ServingCount {
        int count(String model, int planned);
    }

    @FunctionalInterface
    public interface StandbyCount {
        int count(String model, int serving);
    }

    /** Intra-op threads for a worker group of {@code models} on {@code pool}. */
    @FunctionalInterface
    public interface GroupThreads {
        int of(List<String> models, String pool);
    }
}
