package dev.stratus.control;

import dev.stratus.core.model.fleet.DispatchMode;
import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.core.model.fleet.PipelineRoute;
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
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelinePlan;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the gateways route by, from the fleet as it is (only SERVING replicas) and the plan: per model its SLO (a
 * model that is only a pipeline stage: its planned stage budget), its dispatch mode and, per replica, the batch it
 * was configured for, how long such a batch takes there and the edge site of its pool; per pipeline its SLO, the
 * stages' budgets and how its tensors flow; per edge site the round trip to the cloud.
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
        Map<String, String> siteOfPool = new LinkedHashMap<>();
        Map<String, Double> sites = new LinkedHashMap<>();
        double cloudRtt = cloudRttMs(spec.request().pools());
        for (Pool p : spec.request().pools()) {
            siteOfPool.put(p.name(), siteOf(p));
            if (!siteOf(p).equals(RouteTarget.CLOUD)) {
                sites.put(siteOf(p), cloudRtt);
            }
        }
        Map<String, ModelRoute> routes = new LinkedHashMap<>();
        for (ModelDemand m : spec.request().models()) {
            Optional<Double> sloMs = m.ownSlo().map(Slo::latencyMs)
                    .or(() -> plan.modelPlan(m.name()).map(ModelPlan::latencyBudgetMs));
            if (sloMs.isEmpty()) {
                continue; // neither an SLO of its own nor a stage budget: nothing to serve it by
            }
            List<RouteTarget> targets = new ArrayList<>();
            for (Replica r : replicas) {
                WorkerGroupSpec g = groups.get(r.groupId());
                if (r.state() != ReplicaState.SERVING || g == null || !g.models().contains(m.name())) {
                    continue;
                }
                // A model with an SLO of its own was planned with a batch that meets it; a stage only has a budget.
                int batch = m.ownSlo().isPresent() ? g.maxBatch().get(m.name()) : routedBatch(g.maxBatch()
                        .get(m.name()), sloMs.get(), b -> latency.conservativeMs(m.name(), g.groupId(), b));
                double mean = Math.max(0.001, latency.meanMs(m.name(), g.groupId(), batch));
                String pool = g.groupId().substring(g.groupId().indexOf('@') + 1);
                targets.add(new RouteTarget(r.id(), r.host(), r.port(), batch, mean,
                        Math.max(mean, latency.conservativeMs(m.name(), g.groupId(), batch)),
                        siteOfPool.getOrDefault(pool, RouteTarget.CLOUD)));
            }
            routes.put(m.name(), new ModelRoute(m.name(), sloMs.get(), dispatch(plan, m.name()), targets));
        }
        Map<String, PipelineRoute> pipelines = new LinkedHashMap<>();
        for (Pipeline p : spec.request().pipelines()) {
            Map<String, Double> budgets = new LinkedHashMap<>();
            Optional<PipelinePlan> planned = plan.pipelines().stream().filter(pp -> pp.pipeline().equals(p.name()))
                    .findFirst();
            // Without a planned split a stage may take the whole SLO; the pipeline's own deadline still bounds it.
            p.topologicalOrder().forEach(s -> budgets.put(s, planned.map(pp -> pp.stageBudgetsMs().get(s))
                    .filter(b -> b != null && b > 0).orElse(p.sloMs())));
            pipelines.put(p.name(), new PipelineRoute(p, p.sloMs(), budgets, spec.wiring(p.name())));
        }
        return new RoutingTable(routes, pipelines, sites);
    }

    /**
     * The batch a replica is routed for (dispatch runs of that many, admission counting the request's own batch at
     * that size): the worker's max batch, or where so large a batch could not finish within half the deadline (a
     * pipeline stage with a tight budget), the largest that can, so that a request is not refused for a batch its
     * worker would never form for it (its batcher starts a batch early when a deadline needs it).
     */
    static int routedBatch(int maxBatch, double deadlineMs, java.util.function.IntToDoubleFunction conservativeMs) {
        for (int b = maxBatch; b > 1; b--) {
            if (conservativeMs.applyAsDouble(b) <= deadlineMs / 2) {
                return b;
            }
        }
        return 1;
    }

    /**
     * The round trip an edge site's forward to the cloud is planned to pay: the smallest {@code networkRttMs} of the
     * pools the cloud gateway serves (0 when there are none).
     */
    public static double cloudRttMs(List<Pool> pools) {
        return pools.stream().filter(p -> siteOf(p).equals(RouteTarget.CLOUD)).mapToDouble(Pool::networkRttMs).min()
                .orElse(0);
    }

    /** The edge site a pool is at, {@link RouteTarget#CLOUD} for every other pool (the cloud gateway's). */
    public static String siteOf(Pool p) {
        return p.isEdge() && !p.site().isBlank() ? p.site() : RouteTarget.CLOUD;
    }

    /** Batch-aware when the plan's main tuple says so; the other policies spread. */
    static DispatchMode dispatch(Plan plan, String model) {
        return plan.modelPlan(model).map(ModelPlan::tuples).filter(ts -> !ts.isEmpty())
                .map(ts -> ts.get(0)).map(PlanTuple::dispatch)
                .map(d -> d == DispatchPolicy.BATCH_AWARE ? DispatchMode.BATCH_AWARE : DispatchMode.ROUND_ROBIN)
                .orElse(DispatchMode.BATCH_AWARE);
    }
}
