package dev.stratus.core.simulation.planned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.plan.ColocationGroup;
import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.PlanTuple;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.plan.Tier;
import dev.stratus.core.planning.MapProfileStore;
import dev.stratus.core.planning.Planner;
import dev.stratus.core.planning.PlannerSettings;
import dev.stratus.core.planning.SyntheticProfiles;
import dev.stratus.core.simulation.BatchRule;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.SimDispatch;
import dev.stratus.core.simulation.SimResult;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.Simulator;
import dev.stratus.core.simulation.arrival.ArrivalProcess;
import dev.stratus.core.simulation.arrival.ConstantArrivals;
import dev.stratus.core.simulation.policy.PolicySetup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannedDeploymentTest {
    private static final String HW = "hw";

    private static Pool pool(String name, double scale, double cost, double rtt) {
        return new Pool(name, Tier.CLOUD, "", "", HW, scale, cost, 100, rtt, 4096);
    }

    /** Linear profiles with no variance: the conservative latency is the mean, so the planner's bound is exact. */
    private static MapProfileStore profiles(String... models) {
        MapProfileStore store = new MapProfileStore();
        for (String m : models) {
            store.save(SyntheticProfiles.linear(m, HW, 1.0, 2.0, 0, 32));
        }
        return store;
    }

    private static ModelDemand model(String name, double slo, double rate) {
        return new ModelDemand(name, Slo.of(slo), rate, List.of(), false, 100, 32);
    }

    private static Map<String, ArrivalProcess> constant(PlanRequest r) {
        Map<String, ArrivalProcess> a = new LinkedHashMap<>();
        r.totalRates().forEach((m, rate) -> a.put(m, new ConstantArrivals(rate, 0)));
        return a;
    }

    @Test
    void aStratusPlanSimulatesAtItsPlannedCostAndWithinItsPredictedWorstLatency() {
        PlanRequest request = new PlanRequest(List.of(pool("cpu", 1, 0.5, 4)), List.of(model("m", 60, 900)));
        PlanSimulation sim = new PlanSimulation(request, profiles("m"));
        Plan plan = Planner.plan(request, sim.profiles());
        PlannedDeployment d = new PlannedDeployment(plan, sim);
        ModelPlan mp = plan.modelPlan("m").orElseThrow();
        assertEquals(mp.tuples().size(), d.groupCount());
        for (int i = 0; i < d.groupCount(); i++) {
            PlanTuple t = mp.tuples().get(i);
            ReplicaGroup g = d.groups().get(i);
            assertEquals(t.replicas(), g.replicas());
            assertEquals(t.batch(), g.members().get(0).batch());
            assertEquals(t.maxQueueDelayMs(), g.members().get(0).maxQueueDelayMs(), 1e-12);
            assertEquals(PlannedDeployment.dispatch(t.dispatch()), g.dispatch());
            assertEquals(BatchRule.DEADLINE_AWARE, g.formation());
            assertEquals(4, g.networkRttMs(), 1e-12);
        }
        // Closed form: deterministic arrivals and service at l(b) = b + 2 ms; static groups cost exactly the plan.
        SimWorkload w = sim.workload(120, 1, constant(request));
        PolicySetup setup = d.setup();
        SimResult r = Simulator.run("stratus", setup.toConfig(w), setup.policy(), 1);
        assertEquals(plan.costPerHour(), r.costPerHour(), 1e-9);
        assertEquals(1.0, r.model("m").attainment(), 1e-12);
        assertTrue(r.model("m").maxLatencyMs() <= mp.predictedWorstLatencyMs() + 1e-6,
                r.model("m").maxLatencyMs() + " > predicted " + mp.predictedWorstLatencyMs());
        assertTrue(r.model("m").minLatencyMs() >= 4 + 3 - 1e-9, "at least RTT + l(1)");
    }

    @Test
    void coLocatedModelsShareOneGroupAndThePoolsLatencyScaleApplies() {
        PlanRequest request = new PlanRequest(List.of(pool("fast", 0.5, 1.0, 2)),
                List.of(model("a", 200, 20), model("b", 200, 10), model("c", 200, 5)));
        PlanSimulation sim = new PlanSimulation(request, profiles("a", "b", "c"));
        Plan plan = Planner.plan(request, sim.profiles());
        assertEquals(1, plan.groups().size(), plan.explanation().toString());
        ColocationGroup cg = plan.groups().get(0);
        PlannedDeployment d = new PlannedDeployment(plan, sim);
        ReplicaGroup shared = d.groups().stream().filter(g -> g.members().size() > 1).findFirst().orElseThrow();
        assertEquals(cg.models().stream().sorted().toList(), shared.models().stream().sorted().toList());
        assertEquals(cg.replicas(), shared.replicas());
        for (GroupMember member : shared.members()) {
            // l(b) = (b + 2) ms on the profile, halved by the pool's latency scale.
            assertEquals(0.5 * (member.batch() + 2), member.serviceTime().meanMs(member.batch()), 1e-9);
        }
        SimWorkload w = sim.workload(60, 1, constant(request));
        SimResult r = Simulator.run("stratus", d.setup().toConfig(w), d.setup().policy(), 3);
        assertEquals(plan.costPerHour(), r.costPerHour(), 1e-9);
        assertEquals(1.0, r.attainment(), 1e-12);
    }

    @Test
    void eachPolicyKeepsItsBatcherDispatchAndLoop() {
        PlanRequest request = new PlanRequest(List.of(pool("cpu", 1, 0.5, 4)), List.of(model("m", 80, 600)));
        PlanSimulation sim = new PlanSimulation(request, profiles("m"));
        Map<String, BatchRule> formation = Map.of("stratus", BatchRule.DEADLINE_AWARE,
                "static-peak", BatchRule.DEADLINE_AWARE, "nexus", BatchRule.SLIDING_WINDOW,
                "triton-hpa", BatchRule.FIFO, "kpa", BatchRule.FIFO, "clipper-aimd", BatchRule.FIFO);
        SimWorkload w = sim.workload(60, 1, Map.of());
        for (String policy : Planner.POLICIES) {
            PlannedDeployment d = new PlannedPolicy(policy, sim).deployment();
            for (ReplicaGroup g : d.groups()) {
                assertEquals(formation.get(policy), g.formation(), policy);
                if (!policy.equals("stratus")) {
                    assertEquals(SimDispatch.ROUND_ROBIN, g.dispatch(), policy);
                }
            }
            SimResult r = Simulator.run(policy, d.setup().toConfig(w), d.setup().policy(), 1);
            assertTrue(r.requests() > 0);
            if (!d.autoscaled()) {
                assertEquals(d.plan().costPerHour(), r.costPerHour(), 1e-9, policy);
            }
        }
        // Clipper: the member's batch is AIMD's ceiling (the plan's maxBatch), not the plan's starting batch of 1.
        PlannedDeployment clipper = new PlannedPolicy("clipper-aimd", sim).deployment();
        assertEquals(32, clipper.groups().get(0).members().get(0).batch());
        // A capacity factor multiplies replicas (rounded up).
        PlannedDeployment stratus = new PlannedPolicy("stratus", sim).deployment();
        double[] f = new double[stratus.groupCount()];
        java.util.Arrays.fill(f, 1.5);
        for (int g = 0; g < f.length; g++) {
            assertEquals((int) Math.ceil(stratus.groups().get(g).replicas() * 1.5 - 1e-9),
                    stratus.setup(f).groups().get(g).replicas());
        }
    }

    @Test
    void dispatchMapping() {
        assertEquals(SimDispatch.BATCH_AWARE, PlannedDeployment.dispatch(DispatchPolicy.BATCH_AWARE));
        assertEquals(SimDispatch.ROUND_ROBIN, PlannedDeployment.dispatch(DispatchPolicy.SPREAD));
        assertEquals(SimDispatch.ROUND_ROBIN, PlannedDeployment.dispatch(DispatchPolicy.DEFICIT_ROUND_ROBIN));
    }

    @Test
    void pipelineStagesAreMeasuredAgainstTheirPlannedStageBudgets() {
        PlanRequest request = new PlanRequest(List.of(pool("cpu", 1, 0.5, 2)),
                List.of(new ModelDemand("a", null, 0, List.of(), false, 100, 32),
                        new ModelDemand("b", null, 0, List.of(), false, 100, 32)),
                List.of(new Pipeline("p", List.of("a", "b"), List.of(new PipelineEdge("a", "b", 2)), 300, 50)));
        PlanSimulation sim = new PlanSimulation(request, profiles("a", "b"));
        SimWorkload w = sim.workload(30, 1, Map.of());
        assertEquals(150, w.requireModel("a").sloMs(), 1e-9, "default: even split over the longest path");
        assertEquals(100, w.requireModel("b").arrivals().meanRate(30), 1e-9);
        for (String policy : List.of("stratus", "static-peak")) {
            PlannedDeployment d = new PlannedPolicy(policy, sim).deployment();
            SimWorkload own = d.setup().workloadFor(w);
            for (ModelPlan mp : d.plan().modelPlans()) {
                assertEquals(mp.latencyBudgetMs(), own.requireModel(mp.model()).sloMs(), 1e-9, policy);
            }
        }
    }

    @Test
    void theExactSolversPlanAdaptsToo() {
        PlanRequest request = new PlanRequest(List.of(pool("cpu", 1, 0.5, 4), pool("fast", 0.25, 1.5, 4)),
                List.of(model("m", 40, 1500)));
        PlanSimulation sim = new PlanSimulation(request, profiles("m"));
        PlannedPolicy exact = new PlannedPolicy("stratus-exact", "stratus", sim, Planner.Solver.EXACT,
                PlannerSettings.defaults());
        assertEquals("stratus-exact", exact.name());
        PolicySetup setup = exact.configure(sim.workload(30, 1, Map.of()));
        assertEquals(exact.plan().costPerHour(), setup.groups().stream()
                .mapToDouble(g -> g.replicas() * g.costPerHour()).sum(), 1e-9);
    }
}
