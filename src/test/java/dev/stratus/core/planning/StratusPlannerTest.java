package dev.stratus.core.planning;

import static dev.stratus.core.planning.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.plan.ColocationGroup;
import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.PlanTuple;
import dev.stratus.core.model.plan.Pool;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StratusPlannerTest {

    /** Every request of every model is predicted within its budget and the tuples carry exactly its rate. */
    static void assertConsistent(Plan plan, PlanRequest request) {
        Map<String, Double> rates = request.totalRates();
        for (ModelPlan m : plan.modelPlans()) {
            assertEquals(rates.get(m.model()), m.ratePerSecond(), 1e-6 * rates.get(m.model()), m.model() + " rate");
            for (PlanTuple t : m.tuples()) {
                assertTrue(t.predictedWorstLatencyMs() <= m.latencyBudgetMs() + 1e-9,
                        m.model() + ": " + t + " over budget " + m.latencyBudgetMs());
            }
        }
        for (Pool p : request.pools()) {
            assertTrue(plan.replicasIn(p.name()) <= p.maxReplicas(), "pool " + p.name() + " over capacity");
        }
    }

    @ParameterizedTest(name = "SLO {0} ms, {1} req/s")
    @CsvSource({"60, 50", "60, 500", "200, 500", "200, 2000", "30, 100", "1000, 3"})
    void picksTheCheapestBatchAndReplicasOfOnePool(double slo, double rate) {
        PlanRequest request = new PlanRequest(List.of(cloud("cpu", 1, 1000, 5)), List.of(model("m", slo, rate)));
        MapProfileStore store = profiles("m", 2.0, 8.0);
        Plan plan = plan(request, store);
        assertConsistent(plan, request);
        // brute force over every batch 1..64 with the same latency model: nothing needs fewer replicas
        ServiceCurve curve = context(request, store).curves("m").get(0);
        Sizing sizing = new Sizing(PlannerSettings.defaults().maxUtilisation());
        int fewest = Integer.MAX_VALUE;
        for (int b = 1; b <= 64; b++) {
            int n = sizing.size(curve, b, rate, slo, DispatchPolicy.BATCH_AWARE, 1000, 0.99).map(Sized::replicas)
                    .orElse(Integer.MAX_VALUE);
            fewest = Math.min(fewest, n);
        }
        assertEquals(fewest, plan.replicasIn("cpu"));
    }

    @Test
    void largerBudgetsAllowLargerBatchesAndFewerReplicas() {
        MapProfileStore store = profiles("m", 2.0, 8.0);
        Plan tight = plan(new PlanRequest(List.of(cloud("cpu", 1, 1000, 5)), List.of(model("m", 40, 1000))), store);
        Plan loose = plan(new PlanRequest(List.of(cloud("cpu", 1, 1000, 5)), List.of(model("m", 400, 1000))), store);
        PlanTuple t = tight.modelPlans().get(0).tuples().get(0);
        PlanTuple l = loose.modelPlans().get(0).tuples().get(0);
        assertTrue(l.batch() > t.batch(), t + " vs " + l);
        assertTrue(l.replicas() < t.replicas(), t + " vs " + l);
        assertEquals(DispatchPolicy.BATCH_AWARE, l.dispatch());
        assertEquals(Queueing.maxQueueDelayMs(l.batch(), l.replicas(), 1000, DispatchPolicy.BATCH_AWARE),
                l.maxQueueDelayMs(), 1e-9, "max queue delay = the fill time's 99th percentile");
        assertTrue(l.maxQueueDelayMs() > (l.batch() - 1) * 1000.0 / 1000, "longer than the mean fill time");
    }

    @Test
    void residualLoadGetsItsOwnCheaperTuple() {
        // a fast dear pool and a slow cheap one: whole fast replicas for the bulk, the rest on the cheap pool
        Pool gpu = cloud("gpu", 0.25, 3.0, 50, 5, 16000);
        Pool cpu = cloud("cpu", 1.0, 1.0, 50, 5, 16000);
        MapProfileStore store = profiles("m", 2.0, 8.0);
        PlanningContext ctx = context(new PlanRequest(List.of(gpu), List.of(model("m", 100, 1))), store);
        double perGpu = ctx.sizing().maxRate(ctx.curves("m").get(0), 32, 2, 100, DispatchPolicy.BATCH_AWARE, 0.99) / 2;
        double rate = Math.floor(perGpu * 2.2);
        PlanRequest request = new PlanRequest(List.of(gpu, cpu), List.of(model("m", 100, rate)));
        Plan plan = Planner.plan(request, store, "stratus", Planner.Solver.HEURISTIC,
                PlannerSettings.defaults().withColocation(false));
        assertConsistent(plan, request);
        List<PlanTuple> tuples = plan.modelPlans().get(0).tuples();
        assertEquals(2, tuples.size(), tuples.toString());
        assertEquals("gpu", tuples.get(0).pool());
        assertEquals("cpu", tuples.get(1).pool());
        assertTrue(tuples.get(1).batch() <= tuples.get(0).batch());
        PlanRequest gpuOnly = new PlanRequest(List.of(gpu), List.of(model("m", 100, rate)));
        assertTrue(plan.costPerHour() < plan(gpuOnly, store).costPerHour(), "residual on the cheap pool must save");
    }

    @Test
    void colocationPacksSmallModelsWithinMemory() {
        // three tiny models on one pool whose replica holds two of them
        Pool pool = cloud("cpu", 1.0, 1.0, 50, 2, 1200);
        PlanRequest request = new PlanRequest(List.of(pool), List.of(
                model("a", 200, 5, 500, false), model("b", 200, 4, 500, false), model("c", 200, 3, 500, false)));
        MapProfileStore store = profiles("a", 1.0, 4.0, "b", 1.0, 4.0, "c", 1.0, 4.0);
        Plan packed = plan(request, store);
        Plan alone = Planner.plan(request, store, "stratus", Planner.Solver.HEURISTIC,
                PlannerSettings.defaults().withColocation(false));
        assertConsistent(packed, request);
        assertEquals(3.0, alone.costPerHour(), 1e-9);
        assertEquals(2.0, packed.costPerHour(), 1e-9);
        assertEquals(1, packed.groups().size());
        ColocationGroup g = packed.groups().get(0);
        assertEquals(2, g.members().size());
        assertTrue(g.memoryMb() <= pool.memoryMb());
        for (String m : g.models()) {
            PlanTuple t = packed.modelPlan(m).orElseThrow().tuples().get(0);
            assertEquals(g.id(), t.colocationGroup());
            assertEquals(g.dutyCycleMs(), t.maxQueueDelayMs(), 1e-9);
        }
    }

    @Test
    void edgeFirstThenSpillToCloudChargingItsRtt() {
        Pool edge = edge("edge-a", 2.0, 2, 2);
        Pool cloud = cloud("cloud", 1.0, 100, 40);
        PlanRequest request = new PlanRequest(List.of(edge, cloud),
                List.of(model("m", 100, 6000, 500, true)));
        MapProfileStore store = profiles("m", 1.0, 6.0);
        Plan plan = plan(request, store);
        assertConsistent(plan, request);
        ModelPlan m = plan.modelPlans().get(0);
        assertEquals(2, plan.replicasIn("edge-a"), "the edge is filled first");
        assertTrue(m.edgeShare() > 0 && m.edgeShare() < 1, "edge share " + m.edgeShare());
        PlanTuple cloudTuple = m.tuples().stream().filter(t -> t.pool().equals("cloud")).findFirst().orElseThrow();
        PlanTuple edgeTuple = m.tuples().stream().filter(t -> t.pool().equals("edge-a")).findFirst().orElseThrow();
        assertTrue(cloudTuple.predictedWorstLatencyMs() >= 40 + 6, "cloud RTT charged: " + cloudTuple);
        assertEquals(m.edgeShare(), edgeTuple.ratePerSecond() / 6000, 1e-9);
        // without the preference the cheaper cloud takes everything
        PlanRequest indifferent = new PlanRequest(List.of(edge, cloud), List.of(model("m", 100, 6000, 500, false)));
        assertEquals(0, plan(indifferent, store).modelPlans().get(0).edgeShare(), 1e-12);
    }

    @Test
    void chainPipelineSplitsItsSloAndMultipliesRatesByFanOut() {
        PlanRequest request = new PlanRequest(List.of(cloud("cpu", 1, 200, 5)),
                List.of(stage("det"), stage("cls"), stage("rec")),
                List.of(chain("ocr", 400, 10, "det", "8", "cls", "rec")));
        Plan plan = plan(request, profiles("det", 3.0, 20.0, "cls", 0.3, 2.0, "rec", 0.8, 4.0));
        assertConsistent(plan, request);
        assertEquals(80, plan.modelPlan("rec").orElseThrow().ratePerSecond(), 1e-9);
        assertEquals(80, plan.modelPlan("cls").orElseThrow().ratePerSecond(), 1e-9);
        var p = plan.pipelines().get(0);
        double sum = p.stageBudgetsMs().values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(sum <= 400 + 1e-9, "budgets " + p.stageBudgetsMs());
        assertTrue(p.predictedWorstPathMs() <= 400, "path " + p.predictedWorstPathMs());
        assertTrue(p.method().contains("Nexus DP"), p.method());
    }

    @Test
    void dagPipelineKeepsEveryPathWithinTheSlo() {
        // a fans out to b (x4) and c (x2); both feed d: a diamond, not a tree
        Pipeline diamond = new Pipeline("diamond", List.of("a", "b", "c", "d"), List.of(
                new PipelineEdge("a", "b", 4), new PipelineEdge("a", "c", 2), new PipelineEdge("b", "d", 1),
                new PipelineEdge("c", "d", 1)), 300, 20);
        PlanRequest request = new PlanRequest(List.of(cloud("cpu", 1, 500, 5)),
                List.of(stage("a"), stage("b"), stage("c"), stage("d")), List.of(diamond));
        Plan plan = plan(request, profiles("a", 2.0, 10.0, "b", 1.0, 5.0, "c", 3.0, 15.0, "d", 0.5, 3.0));
        assertConsistent(plan, request);
        assertEquals(120, plan.modelPlan("d").orElseThrow().ratePerSecond(), 1e-9, "d gets 4·20 + 2·20");
        Map<String, Double> budget = plan.pipelines().get(0).stageBudgetsMs();
        assertTrue(budget.get("a") + budget.get("b") + budget.get("d") <= 300 + 1e-9, budget.toString());
        assertTrue(budget.get("a") + budget.get("c") + budget.get("d") <= 300 + 1e-9, budget.toString());
        assertTrue(plan.pipelines().get(0).method().contains("greedy"), plan.pipelines().get(0).method());
        assertTrue(plan.pipelines().get(0).predictedWorstPathMs() <= 300);
    }

    @Test
    void sloBelowTheFastestLatencyNamesModelAndConstraint() {
        PlanRequest request = new PlanRequest(List.of(cloud("cpu", 1, 10, 2), cloud("far", 1, 10, 30)),
                List.of(model("ocr-det", 5, 10)));
        PlanningException e = assertThrows(PlanningException.class, () -> plan(request, profiles("ocr-det", 2.0, 10.0)));
        assertTrue(e.getMessage().startsWith("model ocr-det: SLO 5.0 ms is below l(1)="), e.getMessage());
        assertTrue(e.getMessage().contains("+ RTT 2.0 ms on every allowed pool (fastest: cpu)"), e.getMessage());
    }

    @Test
    void edgePoolTooSmallWithoutCloudNamesThePool() {
        PlanRequest request = new PlanRequest(List.of(edge("edge-a", 1, 4, 2), cloud("cloud", 1, 100, 30)),
                List.of(model("cam", 100, 5000, 500, true, "edge-a")));
        PlanningException e = assertThrows(PlanningException.class, () -> plan(request, profiles("cam", 2.0, 10.0)));
        assertTrue(e.getMessage().matches("model cam: pool edge-a: \\d+ replicas needed for 5000.0 req/s, max 4 \\(4 free\\).*"
                + "and no cloud pool allowed"), e.getMessage());
    }

    @Test
    void cloudCapacityShortageNamesTheReplicasNeeded() {
        PlanRequest request = new PlanRequest(List.of(cloud("cpu", 1, 3, 5)), List.of(model("m", 100, 5000)));
        PlanningException e = assertThrows(PlanningException.class, () -> plan(request, profiles("m", 2.0, 10.0)));
        assertTrue(e.getMessage().matches("model m: pool cpu: \\d+ replicas needed for 5000.0 req/s within SLO 100.0 ms, "
                + "not enough free capacity in the allowed pools \\(cpu 3 of 3 free\\)"), e.getMessage());
    }

    @Test
    void pipelineTooTightNamesTheFastestPath() {
        PlanRequest request = new PlanRequest(List.of(cloud("cpu", 1, 200, 5)),
                List.of(stage("det"), stage("rec")), List.of(chain("ocr", 40, 10, "det", "8", "rec")));
        PlanningException e = assertThrows(PlanningException.class,
                () -> plan(request, profiles("det", 3.0, 20.0, "rec", 0.8, 4.0)));
        assertTrue(e.getMessage().startsWith("pipeline ocr: SLO 40.0 ms is below the fastest path det -> rec"), e.getMessage());
    }

    @Test
    void missingProfileAndMemoryAreReported() {
        PlanRequest request = new PlanRequest(List.of(cloud("cpu", 1, 10, 2)), List.of(model("m", 50, 10)));
        PlanningException e = assertThrows(PlanningException.class, () -> plan(request, profiles("other", 1.0, 1.0)));
        assertTrue(e.getMessage().startsWith("model m: no profile for hardware hw (pool cpu)"), e.getMessage());
        PlanRequest big = new PlanRequest(List.of(cloud("cpu", 1, 1, 10, 2, 1000)), List.of(model("m", 50, 10, 4000, false)));
        PlanningException m = assertThrows(PlanningException.class, () -> plan(big, profiles("m", 1.0, 1.0)));
        assertTrue(m.getMessage().startsWith("model m: needs 4000 MB per replica"), m.getMessage());
    }

    @Test
    void everyPolicyNamePlans() {
        PlanRequest request = new PlanRequest(List.of(cloud("cpu", 1, 100, 5), edge("edge", 1.5, 4, 1)),
                List.of(model("a", 120, 300), model("b", 80, 5), stage("det"), stage("rec")),
                List.of(chain("ocr", 500, 5, "det", "8", "rec")));
        MapProfileStore store = profiles("a", 2.0, 8.0, "b", 1.0, 5.0, "det", 3.0, 20.0, "rec", 0.8, 4.0);
        for (String policy : Planner.POLICIES) {
            Plan p = plan(request, store, policy);
            assertEquals(policy, p.policy());
            assertEquals(4, p.modelPlans().size());
            assertTrue(p.costPerHour() > 0);
            for (ModelPlan m : p.modelPlans()) {
                assertEquals(request.totalRates().get(m.model()), m.ratePerSecond(), 1e-6, policy + " " + m.model());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Planner.policy("nope"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {7, 23, 41})
    void aCoLocationGroupHoldsEachModelOnce(long seed) {
        // A model split into main + residual tuples once had both packed into one group (seed 23, 40 models).
        PlannerScaleWorkload.Workload w = PlannerScaleWorkload.generate(40, seed);
        for (PlannerSettings s : List.of(PlannerSettings.defaults(), PlannerSettings.defaults().withMaxUtilisation(0.98))) {
            Plan plan = Planner.plan(w.request(), w.profiles(), StratusPlanner.NAME, Planner.Solver.HEURISTIC, s);
            for (var g : plan.groups()) {
                assertEquals(g.models().size(), g.models().stream().distinct().count(), g.toString());
            }
        }
    }
}
