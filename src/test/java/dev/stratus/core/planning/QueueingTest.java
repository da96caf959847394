package dev.stratus.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.plan.DispatchPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueueingTest {

    @ParameterizedTest(name = "b={0} n={1} r={2} {3} -> {4} ms")
    @CsvSource({
            "1, 4, 100, BATCH_AWARE, 0",
            "8, 4, 100, BATCH_AWARE, 70",     // (b-1)/r
            "8, 4, 100, SPREAD, 280",         // (b-1)·n/r
            "8, 4, 100, DEFICIT_ROUND_ROBIN, 280",
            "16, 1, 1000, SPREAD, 15",
            "2, 10, 50, BATCH_AWARE, 20"})
    void fillWait(int b, int n, double rate, DispatchPolicy dispatch, double expectedMs) {
        assertEquals(expectedMs, Queueing.fillWaitMs(b, n, rate, dispatch), 1e-9);
    }

    @ParameterizedTest(name = "b={0} n={1} r={2} l={3} -> rho {4}")
    @CsvSource({"8, 2, 100, 40, 0.25", "1, 1, 50, 10, 0.5", "32, 3, 900, 80, 0.75"})
    void utilisation(int b, int n, double rate, double l, double rho) {
        assertEquals(rho, Queueing.utilisation(b, n, rate, l), 1e-9);
    }

    @ParameterizedTest(name = "rho={0} b={1} n={2} -> {4} ms")
    @CsvSource({
            // E[W] = l·ρ/(1−ρ)/(2nb); tail = E[W]/ρ·ln(ρ/0.01)
            "0.5, 1, 1, 10, 39.1202301",      // E[W] = 10·1/2 = 5; 5/0.5·ln 50
            "0.9, 8, 2, 20, 28.1238104",      // E[W] = 20·9/32 = 5.625; 5.625/0.9·ln 90
            "0.005, 4, 1, 10, 0",             // fewer than 1 % of batches wait
            "0, 8, 1, 10, 0"})
    void queueingTail(double rho, int b, int n, double l, double expected) {
        assertEquals(expected, Queueing.queueingTailMs(rho, b, n, l, 0.99), 1e-4);
    }

    @Test
    void saturatedReplicaHasNoFiniteTail() {
        assertEquals(Double.POSITIVE_INFINITY, Queueing.queueingTailMs(1.0, 8, 1, 10, 0.99));
    }

    @Test
    void perTermBoundAddsItsParts() {
        double mean = 20;
        double l = 30;
        double rate = 200;
        int b = 8;
        int n = 2;
        double rho = Queueing.utilisation(b, n, rate, mean);
        double expected = 5 + Queueing.fillSpreadMs(b, n, rate, DispatchPolicy.BATCH_AWARE) + l
                + Queueing.queueingTailMs(rho, b, n, mean, 0.01, 0.99);
        assertEquals(expected, Queueing.perTermWorstLatencyMs(5, b, n, rate, mean, l, 0.01, DispatchPolicy.BATCH_AWARE,
                0.99), 1e-9);
    }

    @Test
    void worstLatencyIsTheRoundTripPlusTheQuantileOfTheSum() {
        double worst = Queueing.worstLatencyMs(5, 8, 2, 200, 20, 30, 0.01, DispatchPolicy.BATCH_AWARE, 0.99);
        LatencySum sum = Queueing.sum(8, 2, 200, 20, 30, 0.01, DispatchPolicy.BATCH_AWARE);
        assertEquals(5 + sum.quantileMs(0.99), worst, 1e-9);
        assertEquals(0.01, Queueing.exceedance(worst, 5, 8, 2, 200, 20, 30, 0.01, DispatchPolicy.BATCH_AWARE), 1e-6);
        assertTrue(worst < Queueing.perTermWorstLatencyMs(5, 8, 2, 200, 20, 30, 0.01, DispatchPolicy.BATCH_AWARE, 0.99));
    }

    @ParameterizedTest(name = "b={0}: fill quantiles")
    @CsvSource({
            // batch, mean fill ms at 100/s, 90th and 99th percentiles (Erlang(b-1), exact values)
            "2, 10, 23.03, 46.05",
            "5, 40, 66.81, 100.45",
            "17, 160, 212.92, 267.43"})
    void fillQuantilesFollowTheErlangOfTheRemainingArrivals(int b, double mean, double p90, double p99) {
        assertEquals(mean, Queueing.fillWaitMs(b, 1, 100, DispatchPolicy.BATCH_AWARE), 1e-9);
        // Wilson-Hilferty is within 2 % of the exact Erlang quantiles here.
        assertEquals(p90, Queueing.fillSpreadMs(b, 1, 100, DispatchPolicy.BATCH_AWARE), 0.02 * p90);
        assertEquals(p99, Queueing.maxQueueDelayMs(b, 1, 100, DispatchPolicy.BATCH_AWARE), 0.02 * p99);
        assertEquals(0, Queueing.maxQueueDelayMs(1, 1, 100, DispatchPolicy.BATCH_AWARE));
    }

    @Test
    void batchAwareWaitsLessThanSpreadingForTheSameBatch() {
        for (int n = 2; n <= 16; n *= 2) {
            assertTrue(Queueing.fillWaitMs(8, n, 500, DispatchPolicy.BATCH_AWARE)
                    < Queueing.fillWaitMs(8, n, 500, DispatchPolicy.SPREAD));
        }
    }

    @ParameterizedTest(name = "Poisson({0}) q{1} -> {2}")
    @CsvSource({"1, 0.99, 4", "4, 0.99, 9", "10, 0.99, 18", "0.1, 0.5, 0", "0.1, 0.99, 1", "30, 0.99, 9"})
    void poissonQuantile(double mean, double q, int expected) {
        int cap = expected == 9 && mean == 30 ? 8 : 64; // the last row checks the cap: 43 > 8 gives cap + 1
        assertEquals(expected, Queueing.poissonQuantile(mean, q, cap));
    }
}
