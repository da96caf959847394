package dev.stratus.core.simulation;

import static dev.stratus.core.simulation.Fixtures.config;
import static dev.stratus.core.simulation.Fixtures.group;
import static dev.stratus.core.simulation.Fixtures.model;
import static dev.stratus.core.simulation.Fixtures.workload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.simulation.arrival.ConstantArrivals;
import dev.stratus.core.simulation.arrival.PoissonArrivals;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases with a closed-form answer: deterministic arrivals at rate r into n replicas with a deterministic l(b).
 * Batch-aware dispatch collects a batch in (b−1)/r, round robin in (b−1)·n/r (ARCHITECTURE.md, "Algorithms"), so
 * request i of a batch (0 = oldest) sees latency (b−1−i)·g + l(b), with gap g = 1/r or n/r.
 */
class ClosedFormTest {
    private static final double EPS = 1e-9;

    static Stream<Arguments> batchCollection() {
        // rate/s, batch, replicas, dispatch, α ms, β ms
        return Stream.of(
                Arguments.of(1000.0, 4, 2, SimDispatch.BATCH_AWARE, 1.0, 2.0),
                Arguments.of(1000.0, 4, 2, SimDispatch.ROUND_ROBIN, 1.0, 2.0),
                Arguments.of(500.0, 8, 3, SimDispatch.BATCH_AWARE, 0.5, 4.0),
                Arguments.of(500.0, 8, 3, SimDispatch.ROUND_ROBIN, 0.5, 4.0),
                Arguments.of(2000.0, 1, 4, SimDispatch.ROUND_ROBIN, 1.0, 1.0),
                Arguments.of(200.0, 16, 1, SimDispatch.BATCH_AWARE, 0.3, 0.5));
    }

    @ParameterizedTest(name = "r={0}/s b={1} n={2} {3}")
    @MethodSource("batchCollection")
    void batchSizesAndLatenciesMatchTheFormula(double rate, int batch, int replicas, SimDispatch dispatch,
            double alpha, double beta) {
        int batchesPerReplica = 50;
        long requests = (long) batch * replicas * batchesPerReplica;
        double duration = requests / rate; // arrivals at k/r for k < requests
        SimModel m = model("m", 10_000, alpha, beta, 32, new ConstantArrivals(rate, 0));
        SimResult r = Simulator.run("t", config(workload(duration, m), group("m", batch, 10_000, replicas, dispatch)),
                ScalingPolicy.none(), 1);

        double l = (alpha * batch + beta) / 1000;
        double gap = dispatch == SimDispatch.BATCH_AWARE ? 1 / rate : replicas / rate;
        assertTrue(replicas * batch / rate >= l - EPS, "the case must be stable: n·b/r >= l(b)");
        ModelResult mr = r.model("m");
        assertEquals(requests, mr.requests());
        assertEquals(requests, mr.completed());
        assertEquals(0, mr.dropped());
        assertEquals(requests / batch, mr.batchSizes().get(batch), "every batch is full");
        assertEquals(batch, mr.meanBatch(), EPS);
        assertEquals(l * 1000, mr.minLatencyMs(), 1e-6);
        assertEquals(((batch - 1) * gap + l) * 1000, mr.maxLatencyMs(), 1e-6);
        assertEquals(((batch - 1) * gap / 2 + l) * 1000, mr.meanLatencyMs(), 1e-6);
    }

    @ParameterizedTest(name = "b={0} l(b)={1}b+{2} ms")
    @MethodSource("saturation")
    void aSaturatedReplicaServesBOverLOfB(int batch, double alpha, double beta) {
        double l = (alpha * batch + beta) / 1000;
        double capacity = batch / l;
        double duration = 200;
        int queueBound = 4 * batch;
        SimModel m = model("m", 1e9, alpha, beta, 64, new PoissonArrivals(3 * capacity));
        ReplicaGroup g = new ReplicaGroup("gpu", 1, 0, java.util.List.of(new GroupMember("m", batch, 1, 1)), 1,
                SimDispatch.BATCH_AWARE, queueBound);
        SimResult r = Simulator.run("t", config(workload(duration, m), g), ScalingPolicy.none(), 7);
        ModelResult mr = r.model("m");
        // Arrivals stop at the end; what is queued then (at most the bound) and the batch started last still complete.
        double servedInDuration = mr.completed() - queueBound - batch;
        assertEquals(capacity, mr.completed() / duration, capacity * 0.002 + queueBound / duration);
        assertTrue(servedInDuration / duration <= capacity + 1e-6);
        // Only the first batch (the replica idle at the first arrival) and the last ones (the drain) may be partial.
        assertTrue(mr.batchSizes().get(batch) >= mr.batches() - 3, "a saturated replica runs full batches");
        assertEquals(1.0, r.groups().get(0).utilisation(), 1e-3);
        assertEquals(mr.requests(), mr.completed() + mr.dropped());
    }

    static Stream<Arguments> saturation() {
        return Stream.of(Arguments.of(8, 1.0, 2.0), Arguments.of(1, 0.3, 0.5), Arguments.of(32, 10.0, 4.0));
    }

    @ParameterizedTest(name = "slo {0} ms")
    @MethodSource("deadlines")
    void theBatcherStartsByTheLatestStartThatMeetsTheHeadsDeadline(double sloMs, int expectedBatch) {
        // Arrivals every 10 ms from 1 ms; l(b) = b + 2 ms; max batch 8 (l = 10 ms); the delay never fires.
        // Latest start for a full batch = head + SLO − l(8); by then the queue holds the requests that arrived.
        SimModel m = model("m", sloMs, 1, 2, 8, new ConstantArrivals(100, 0.001));
        SimResult r = Simulator.run("t", config(workload(3, m), group("m", 8, 10_000, 1, SimDispatch.BATCH_AWARE)),
                ScalingPolicy.none(), 1);
        ModelResult mr = r.model("m");
        assertEquals(0, mr.dropped());
        assertEquals(mr.requests(), mr.withinSlo());
        long full = mr.batchSizes().get(expectedBatch);
        assertEquals(mr.requests() / expectedBatch, full, 1, "batches of " + expectedBatch);
        double l = (expectedBatch + 2);
        // The head waits SLO − l(8) = SLO − 10 ms, then its batch of expectedBatch runs.
        assertEquals(sloMs - 10 + l, mr.maxLatencyMs(), 1e-6);
    }

    static Stream<Arguments> deadlines() {
        return Stream.of(Arguments.of(35.0, 3), Arguments.of(55.0, 5), Arguments.of(15.0, 1));
    }

    @ParameterizedTest(name = "slo {0} ms, rtt {1} ms")
    @MethodSource("infeasible")
    void requestsThatCannotMeetTheirDeadlineAreDropped(double sloMs, double rttMs) {
        // l(1) = 10 ms: with SLO − RTT below it no request can make it, and each is dropped, not served late.
        SimModel m = model("m", sloMs, 0, 10, 4, new PoissonArrivals(50));
        SimPool pool = new SimPool("far", 1, rttMs);
        ReplicaGroup g = ReplicaGroup.single("m", pool, 4, 5, 2, SimDispatch.ROUND_ROBIN, 1);
        SimResult r = Simulator.run("t", config(workload(20, m), g), ScalingPolicy.none(), 3);
        ModelResult mr = r.model("m");
        assertTrue(mr.requests() > 500);
        assertEquals(mr.requests(), mr.dropped());
        assertEquals(0, mr.completed());
        assertEquals(0, r.attainment(), 0);
    }

    static Stream<Arguments> infeasible() {
        return Stream.of(Arguments.of(9.0, 0.0), Arguments.of(14.0, 5.0));
    }

    @ParameterizedTest(name = "rtt {0} ms")
    @MethodSource("rtts")
    void theNetworkRoundTripIsAddedToEveryLatency(double rttMs) {
        SimModel m = model("m", 1000, 1, 2, 8, new ConstantArrivals(10, 0));
        ReplicaGroup g = ReplicaGroup.single("m", new SimPool("p", 1, rttMs), 1, 0, 1, SimDispatch.ROUND_ROBIN, 1);
        SimResult r = Simulator.run("t", config(workload(10, m), g), ScalingPolicy.none(), 1);
        assertEquals(3 + rttMs, r.model("m").minLatencyMs(), 1e-6);
        assertEquals(3 + rttMs, r.model("m").maxLatencyMs(), 1e-6);
    }

    static Stream<Arguments> rtts() {
        return Stream.of(Arguments.of(0.0), Arguments.of(2.0), Arguments.of(40.0));
    }
}
