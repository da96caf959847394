package dev.stratus.core.simulation;

import static dev.stratus.core.simulation.Fixtures.config;
import static dev.stratus.core.simulation.Fixtures.group;
import static dev.stratus.core.simulation.Fixtures.model;
import static dev.stratus.core.simulation.Fixtures.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.simulation.arrival.ConstantArrivals;
import dev.stratus.core.simulation.arrival.GammaArrivals;
import dev.stratus.core.simulation.arrival.MmppArrivals;
import dev.stratus.core.simulation.arrival.PoissonArrivals;
import dev.stratus.core.simulation.policy.Configurators;
import dev.stratus.core.simulation.policy.BaselineDeployment;
import dev.stratus.core.simulation.policy.HpaSettings;
import dev.stratus.core.simulation.policy.PolicySetup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineBehaviourTest {

    /** Scales group 0 to {@code target} at {@code atSeconds} and records what it observes. */
    private static final class Scripted implements ScalingPolicy {
        final double atSeconds;
        final int target;
        final List<ControlSnapshot> seen = new ArrayList<>();

        Scripted(double atSeconds, int target) {
            this.atSeconds = atSeconds;
            this.target = target;
        }

        @Override
        public List<ScalingDecision> onTick(ControlSnapshot snapshot) {
            seen.add(snapshot);
            return Math.abs(snapshot.nowSeconds() - atSeconds) < 1e-9
                    ? List.of(new ScalingDecision(0, target, "script")) : List.of();
        }
    }

    static Stream<Arguments> coldStarts() {
        // phases (ms): process, session, first inference, warm-up; prewarmed uses the cached variant
        return Stream.of(
                Arguments.of(new ColdStart(1000, 1000, 200, 300, false), new ColdStart(1000, 200, 100, 200, true), false, 2.5),
                Arguments.of(new ColdStart(1000, 1000, 200, 300, false), new ColdStart(1000, 200, 100, 200, true), true, 1.5),
                Arguments.of(new ColdStart(0, 0, 0, 0, false), null, false, 0.0));
    }

    @ParameterizedTest(name = "startup {3} s, prewarmed {2}")
    @MethodSource("coldStarts")
    void coldStartDelaysNewCapacityByExactlyTheColdStartTime(ColdStart cold, ColdStart cached, boolean prewarmed,
            double startupSeconds) {
        SimModel m = new SimModel("m", 100, 0.99, ServiceTime.linear(1, 2, 0, 8), cold, cached, new PoissonArrivals(100));
        Scripted policy = new Scripted(1, 2);
        double duration = 10;
        SimResult r = Simulator.run("t", new SimConfig(workload(duration, m),
                List.of(group("m", 4, 2, 1, SimDispatch.ROUND_ROBIN)), prewarmed), policy, 5);

        double readyAt = 1 + startupSeconds;
        for (ControlSnapshot s : policy.seen) {
            GroupObservation g = s.groups().get(0);
            double t = s.nowSeconds();
            // Available replica time in the period (t−1, t]: 1 replica, plus the new one from readyAt on.
            double expected = 1 + Math.max(0, Math.min(t, duration) - Math.max(t - 1, readyAt));
            assertEquals(expected, g.availableReplicaSeconds(), 1e-9, "available replica-seconds at t=" + t);
            // Observations at t are taken before that instant's decision.
            assertEquals(t >= readyAt && t > 1 ? 2 : 1, g.ready(), "ready replicas at t=" + t);
            assertEquals(t > 1 && t < readyAt ? 1 : 0, g.starting(), "starting replicas at t=" + t);
        }
        // Both replicas are paid from the decision on, the starting one included.
        assertEquals((duration + (duration - 1)) / 3600, r.replicaHours(), 1e-12);
        assertEquals(1, r.scalingEvents().size());
        assertEquals(2, r.groups().get(0).peakReplicas());
    }

    @Test
    void scaledDownReplicasDrainTheirQueueAndStopBeingPaid() {
        SimModel m = model("m", 1000, 1, 2, 8, new ConstantArrivals(400, 0));
        Scripted policy = new Scripted(5, 1);
        SimResult r = Simulator.run("t", config(workload(10, m), group("m", 8, 50, 3, SimDispatch.ROUND_ROBIN)),
                policy, 1);
        ModelResult mr = r.model("m");
        assertEquals(4000, mr.requests());
        assertEquals(0, mr.dropped(), "nothing queued on a draining replica is lost");
        // 3 replicas for 5 s, then 1 for 5 s; draining lasts at most one batch delay plus one batch (< 60 ms each).
        assertEquals(20.0 / 3600, r.replicaHours(), 2 * 0.06 / 3600);
        assertEquals(1, r.groups().get(0).finalReplicas());
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() {
        SimModel a = new SimModel("a", 30, 0.99, ServiceTime.linear(1, 2, 0.2, 16), Fixtures.NO_COLD_START, null,
                new MmppArrivals(300, 1500, 5, 2));
        SimModel b = new SimModel("b", 80, 0.99, ServiceTime.linear(5, 3, 0.1, 8),
                new ColdStart(500, 500, 100, 100, false), null, new GammaArrivals(200, 3));
        SimWorkload w = new SimWorkload(List.of(a, b), List.of(Fixtures.POOL), 60, 1);
        BaselineDeployment d = new BaselineDeployment(null, 8, 2, SimDispatch.ROUND_ROBIN, BatchRule.FIFO, 256, 0.7, false, 1, 100);
        var hpa = Configurators.tritonHpa("triton-hpa", HpaSettings.defaults(), d, Optional.empty(), false);
        SimResult first = run(hpa.configure(w), w, 42);
        SimResult again = run(hpa.configure(w), w, 42);
        SimResult other = run(hpa.configure(w), w, 43);
        assertEquals(first, again);
        assertNotEquals(first.models(), other.models());
        for (ModelResult mr : first.models()) {
            assertEquals(mr.requests(), mr.completed() + mr.dropped(), "every request is resolved");
        }
    }

    @Test
    void everyPolicySeesTheSameArrivalsForASeed() {
        SimModel m = new SimModel("m", 50, 0.99, ServiceTime.linear(1, 2, 0.1, 8), Fixtures.NO_COLD_START, null,
                new PoissonArrivals(700));
        SimWorkload w = workload(30, m);
        SimResult one = Simulator.run("one", config(w, group("m", 8, 2, 1, SimDispatch.ROUND_ROBIN)),
                ScalingPolicy.none(), 9);
        SimResult four = Simulator.run("four", config(w, group("m", 2, 0, 4, SimDispatch.BATCH_AWARE)),
                ScalingPolicy.none(), 9);
        assertEquals(one.model("m").requests(), four.model("m").requests());
    }

    @Test
    void coLocatedModelsShareReplicasAndEachIsServed() {
        SimModel a = model("a", 100, 1, 2, 8, new PoissonArrivals(300));
        SimModel b = model("b", 200, 4, 3, 8, new PoissonArrivals(100));
        ReplicaGroup shared = new ReplicaGroup("gpu", 2.0, 0, List.of(new GroupMember("a", 4, 5, 1),
                new GroupMember("b", 2, 10, 1)), 2, SimDispatch.BATCH_AWARE, 512);
        SimResult r = Simulator.run("t", config(workload(60, a, b), shared), ScalingPolicy.none(), 11);
        for (String name : List.of("a", "b")) {
            ModelResult mr = r.model(name);
            assertTrue(mr.requests() > 1000);
            assertEquals(mr.requests(), mr.completed() + mr.dropped());
            assertTrue(mr.attainment() > 0.99, name + " attainment " + mr.attainment());
        }
        assertEquals(2 * 60 * 2.0 / 3600, r.costDollars(), 1e-12, "one replica serving two models is paid once");
    }

    @Test
    void requestsSplitAcrossGroupsByShare() {
        SimModel m = model("m", 1000, 1, 1, 8, new ConstantArrivals(1000, 0));
        ReplicaGroup big = ReplicaGroup.single("m", Fixtures.POOL, 1, 0, 3, SimDispatch.ROUND_ROBIN, 3);
        ReplicaGroup small = ReplicaGroup.single("m", new SimPool("edge", 0.5, 0), 2, 0, 1, SimDispatch.ROUND_ROBIN, 1);
        SimResult r = Simulator.run("t", config(workload(10, m), big, small), ScalingPolicy.none(), 1);
        // 10,000 requests, shares 3:1: the small group gets every fourth one.
        assertEquals(7500, r.groups().get(0).dispatched());
        assertEquals(2500, r.groups().get(1).dispatched());
        assertEquals(10_000, r.model("m").completed());
    }

    @Test
    void aFullQueueRejectsAtTheGateway() {
        SimModel m = model("m", 1e6, 0, 10, 1, new ConstantArrivals(1000, 0)); // 100/s capacity, 1000/s offered
        ReplicaGroup g = new ReplicaGroup("gpu", 1, 0, List.of(new GroupMember("m", 1, 0, 1)), 1,
                SimDispatch.ROUND_ROBIN, 5);
        SimResult r = Simulator.run("t", config(workload(10, m), g), ScalingPolicy.none(), 1);
        ModelResult mr = r.model("m");
        assertEquals(10_000, mr.requests());
        assertEquals(1000, mr.completed(), 6);
        assertEquals(mr.requests() - mr.completed(), mr.dropped());
    }

    @Test
    void underOverloadTheBatchFormationRulesDiffer() {
        // One replica, l(b) = b + 2 ms, batch 8 → 800/s at most; 1,200/s offered; SLO 40 ms.
        SimModel m = model("m", 40, 1, 2, 8, new PoissonArrivals(1200));
        java.util.Map<BatchRule, ModelResult> results = new java.util.EnumMap<>(BatchRule.class);
        for (BatchRule f : BatchRule.values()) {
            ReplicaGroup g = new ReplicaGroup("gpu", 1, 0, List.of(new GroupMember("m", 8, 2, 1)), 1,
                    SimDispatch.BATCH_AWARE, 64, f);
            results.put(f, Simulator.run("t", config(workload(60, m), g), ScalingPolicy.none(), 2).model("m"));
        }
        ModelResult fifo = results.get(BatchRule.FIFO);
        ModelResult window = results.get(BatchRule.SLIDING_WINDOW);
        ModelResult worker = results.get(BatchRule.DEADLINE_AWARE);
        ModelResult shrink = results.get(BatchRule.SHRINK);
        // FIFO never sheds late work: a full queue rejects, everything admitted is served, mostly late.
        assertTrue(fifo.maxLatencyMs() > 40);
        assertTrue(fifo.attainment() < 0.1, "fifo attainment " + fifo.attainment());
        // The deadline rules serve only what can still make it, so nothing they serve is late.
        for (ModelResult r : List.of(window, worker, shrink)) {
            assertEquals(r.completed(), r.withinSlo());
        }
        // Early drop (the worker's rule, and Nexus' window) keeps full batches under overload, so the replica keeps
        // serving b/l(b): attainment reaches the capacity bound 800/1200.
        for (ModelResult r : List.of(window, worker)) {
            assertTrue(r.meanBatch() > 7.9, "mean batch " + r.meanBatch());
            assertEquals(800.0 / 1200, r.attainment(), 0.02);
        }
        // Shrinking each batch to its oldest request's remaining slack (the worker's rule before early drop): with a
        // backlog every head is nearly late, batches fall to 1-2 and throughput collapses (measured: mean batch
        // about 1.5, attainment about 0.36).
        assertTrue(shrink.meanBatch() < 3, "shrink mean batch " + shrink.meanBatch());
        assertTrue(shrink.attainment() < worker.attainment() - 0.2);
    }

    private static SimResult run(PolicySetup setup, SimWorkload w, long seed) {
        return Simulator.run("p", setup.toConfig(w), setup.policy(), seed);
    }
}
