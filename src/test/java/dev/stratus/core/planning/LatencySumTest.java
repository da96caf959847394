package dev.stratus.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.profiling.LatencyCurve;
import dev.stratus.core.simulation.BatchRule;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ModelResult;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingPolicy;
import dev.stratus.core.simulation.ServiceTime;
import dev.stratus.core.simulation.SimConfig;
import dev.stratus.core.simulation.SimDispatch;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.SimPool;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.Simulator;
import dev.stratus.core.simulation.arrival.PoissonArrivals;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencySumTest {

    @ParameterizedTest(name = "Φc({0}) = {1}")
    @CsvSource({"0, 0.5", "1, 0.158655254", "1.959964, 0.025", "2.326347874, 0.01", "3, 0.001349898",
            "5, 2.866516e-7", "-1, 0.841344746", "-3, 0.998650102"})
    void normalUpperTail(double z, double expected) {
        assertEquals(expected, LatencySum.upperTail(z), 2e-7 * Math.max(expected, 1e-3));
    }

    @ParameterizedTest(name = "D={0} m={1} l={2} rho={3}")
    @CsvSource({
            // fill, mean, conservative, utilisation, arrivals per batch
            "0, 10, 10, 0, 1",
            "0, 10, 14, 0, 1",
            "20, 10, 12, 0, 1",
            "0, 3, 3.35, 0.5, 1",
            "10, 10, 11, 0.9, 8",
            "3.75, 30, 37, 0.6, 40",
            "55, 17, 25, 0.3, 32"})
    void theQuantileIsWhereTheExceedanceIsOneMinusQ(double fill, double mean, double cons, double rho, double k) {
        LatencySum s = LatencySum.of(fill, mean, cons, 0.01, rho, k);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            double t = s.quantileMs(q);
            assertEquals(1 - q, s.exceedance(t), 1e-6 * (1 - q), "q " + q);
        }
    }

    @Test
    void eachPartAloneGivesItsOwnQuantile() {
        // Execution alone: its 99th percentile is the conservative latency.
        assertEquals(14, LatencySum.of(0, 10, 14, 0, 0, 1).quantileMs(0.99), 1e-6);
        // Fill wait alone (deterministic execution): uniform over [0, D] on top of the batch time.
        assertEquals(10 + 0.9 * 20, LatencySum.of(20, 10, 10, 0, 0, 1).quantileMs(0.9), 1e-4);
        // Queueing alone: Kingman's exponential tail, E[W]/rho * ln(rho / (1 - q)), on top of the batch time.
        LatencySum q = LatencySum.of(0, 10, 10, 0, 0.8, 1);
        double meanWait = 10 * 0.8 / 0.2 / 2;
        assertEquals(10 + meanWait / 0.8 * Math.log(0.8 / 0.01), q.quantileMs(0.99), 1e-4);
        assertEquals(Double.POSITIVE_INFINITY, LatencySum.of(0, 10, 10, 0, 1, 1).quantileMs(0.99));
    }

    /**
     * The sum's 99th percentile against the simulator's measured p99 for one group of replicas on a synthetic linear
     * profile (lognormal batch times with the profile's mean and std), batch-aware dispatch, the batcher's max queue
     * delay as planned ({@link Queueing#maxQueueDelayMs}), no deadline drops. The sum of each part's own high
     * quantile is 4–37 % above the simulator here, the sum of the parts −5 … +13 %.
     */
    @ParameterizedTest(name = "b={3} n={4} rho={5} cv={2}")
    @CsvSource({
            // alpha ms/item, beta ms, relative std, batch, replicas, utilisation
            "1, 2, 0.05, 1, 1, 0.5",
            "1, 2, 0.05, 1, 1, 0.9",
            "1, 2, 0.05, 8, 1, 0.5",
            "1, 2, 0.05, 8, 1, 0.9",
            "1, 2, 0.05, 8, 4, 0.9",
            "0.2, 3, 0.1, 16, 2, 0.7",
            "0.2, 3, 0.3, 16, 2, 0.8",
            "5, 10, 0.1, 4, 3, 0.85",
            "5, 10, 0.1, 4, 10, 0.6",
            "0.5, 1, 0.2, 32, 1, 0.3",
            "0.5, 1, 0.2, 32, 8, 0.9",
            "1, 2, 0.5, 2, 1, 0.7"})
    void theSumOfThePartsTracksTheSimulatedP99(double alpha, double beta, double cv, int b, int n, double rho) {
        LatencyCurve curve = new LatencyCurve(SyntheticProfiles.linear("m", "hw", alpha, beta, cv, 64));
        double mean = curve.meanMs(b);
        double cons = curve.conservativeMs(b);
        double cv2 = Math.pow(curve.stdMs(b) / mean, 2);
        double rate = rho * n * b * 1000 / mean;
        double delay = Queueing.maxQueueDelayMs(b, n, rate, DispatchPolicy.BATCH_AWARE);
        double sum = Queueing.worstLatencyMs(0, b, n, rate, mean, cons, cv2, DispatchPolicy.BATCH_AWARE, 0.99);
        double perTerm = Queueing.perTermWorstLatencyMs(0, b, n, rate, mean, cons, cv2, DispatchPolicy.BATCH_AWARE,
                0.99);

        SimModel model = new SimModel("m", 1e6, 0.99, ServiceTime.fromCurve(curve, 64), new ColdStart(0, 0, 0, 0, false),
                null, new PoissonArrivals(rate));
        ReplicaGroup group = new ReplicaGroup("p", 1, 0, List.of(new GroupMember("m", b, delay, 1)), n,
                SimDispatch.BATCH_AWARE, 1_000_000, BatchRule.DEADLINE_AWARE);
        SimWorkload workload = new SimWorkload(List.of(model), List.of(new SimPool("p", 1, 0)),
                Math.max(60, 200_000 / rate), 10);
        ModelResult measured = Simulator.run("bound", new SimConfig(workload, List.of(group), false),
                ScalingPolicy.none(), 7).model("m");
        double p99 = measured.p99LatencyMs();

        System.out.printf("b=%d n=%d rho=%.2f cv=%.2f: simulated p99 %.2f, sum %.2f (%+.0f%%), per-term %.2f (%+.0f%%)%n",
                b, n, rho, cv, p99, sum, 100 * (sum / p99 - 1), perTerm, 100 * (perTerm / p99 - 1));
        assertTrue(sum >= 0.9 * p99 && sum <= 1.2 * p99, String.format("sum %.2f vs simulated p99 %.2f", sum, p99));
        assertTrue(sum <= perTerm + 1e-9, String.format("sum %.2f vs per-term %.2f", sum, perTerm));
    }

    /**
     * Batch-aware dispatch sends b consecutive requests to one replica. If its batcher gives up waiting after the mean
     * fill time, half the batches start early and the rest of their requests wait behind them; with a tight SLO those
     * expire. Batch 2 on 53 replicas at 86 % busy, SLO 25 ms after the network, l(1) = 14 ms: a max queue delay of the
     * mean fill time loses 17 % of requests, the 99th percentile of the fill time (the planned delay) under 1 %.
     */
    @ParameterizedTest(name = "max queue delay at the {0}")
    @CsvSource({"mean, 0.80, 0.88", "99th percentile, 0.99, 1.0"})
    void theMaxQueueDelayKeepsBatchesWhole(String which, double minAttainment, double maxAttainment) {
        LatencyCurve curve = new LatencyCurve(SyntheticProfiles.linear("m", "hw", 4, 10, 0.1, 64));
        int b = 2;
        int n = 53;
        double rate = 0.86 * n * b * 1000 / curve.meanMs(b);
        double delay = which.equals("mean") ? Queueing.fillWaitMs(b, n, rate, DispatchPolicy.BATCH_AWARE)
                : Queueing.maxQueueDelayMs(b, n, rate, DispatchPolicy.BATCH_AWARE);
        SimModel model = new SimModel("m", 30, 0.99, ServiceTime.fromCurve(curve, 64), new ColdStart(0, 0, 0, 0, false),
                null, new PoissonArrivals(rate));
        ReplicaGroup group = new ReplicaGroup("p", 1, 5, List.of(new GroupMember("m", b, delay, 1)), n,
                SimDispatch.BATCH_AWARE, 1_000_000, BatchRule.DEADLINE_AWARE);
        SimWorkload workload = new SimWorkload(List.of(model), List.of(new SimPool("p", 1, 5)), 60, 10);
        double attainment = Simulator.run("delay", new SimConfig(workload, List.of(group), false), ScalingPolicy.none(),
                7).model("m").attainment();
        assertTrue(attainment >= minAttainment && attainment <= maxAttainment, which + ": " + attainment);
    }
}
