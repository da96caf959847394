package dev.stratus.control;

import dev.stratus.core.model.fleet.DispatchMode;
import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.fleet.RouteTarget;
import dev.stratus.core.model.fleet.RoutingTable;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanTuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the gateway routes by, from the fleet as it is (only SERVING replicas) and the plan: per model its SLO,
 * its dispatch mode and, per replica, the batch it was configured for and how long such a batch takes there.
 */
public final class RoutingBuilder {
    private RoutingBuilder() {
    }

    /** Latency in ms of a batch of a model in a group (from its profile on the group's pool). */
    public interface BatchLatency {
        double meanMs(String model, String groupId, int batch);

        double conservativeMs(String model, String groupId, int batch);
    }

    public static RoutingTable build(ServiceSpec spec, Plan plan, List<Replica> replicas,
            Map<String, WorkerGroupSpec> groups, BatchLatency latency) {
        Map<String, ModelRoute> routes = new LinkedHashMap<>();
        for (ModelDemand m : spec.request().models()) {
            if (m.ownSlo().isEmpty()) {
                continue;
            }
            List<RouteTarget> targets = new ArrayList<>();
            for (Replica r : replicas) {
                WorkerGroupSpec g = groups.get(r.groupId());
                if (r.state() != ReplicaState.SERVING || g == null || !g.models().contains(m.name())) {
                    continue;
                }
                int batch = g.maxBatch().get(m.name());
                double mean = Math.max(0.001, latency.meanMs(m.name(), g.groupId(), batch));
                targets.add(new RouteTarget(r.id(), r.host(), r.port(), batch, mean,
                        Math.max(mean, latency.conservativeMs(m.name(), g.groupId(), batch))));
            }
            routes.put(m.name(), new ModelRoute(m.name(), m.ownSlo().get().latencyMs(), dispatch(plan, m.name()),
                    targets));
        }
        return new RoutingTable(routes);
    }

    /** Batch-aware when the plan's main tuple says so; the other policies spread. */
    static DispatchMode dispatch(Plan plan, String model) {
        return plan.modelPlan(model).map(ModelPlan::tuples).filter(ts -> !ts.isEmpty())
                .map(ts -> ts.get(0)).map(PlanTuple::dispatch)
                .map(d -> d == DispatchPolicy.BATCH_AWARE ? DispatchMode.BATCH_AWARE : DispatchMode.ROUND_ROBIN)
                .orElse(DispatchMode.BATCH_AWARE);
    }
}
