package dev.stratus.dataplane.worker.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LatencyEstimatorTest {
    static final int MAX = 8;

    /** An estimator seeded with {@code {batchSize, nanos}} pairs at scale 1. */
    static LatencyEstimator seeded(long[][] observations) {
        LatencyEstimator l = new LatencyEstimator(MAX);
        for (long[] o : observations) {
            l.observe((int) o[0], o[1], 1.0);
        }
        return l;
    }

    static long[][] obs(long... pairs) {
        long[][] out = new long[pairs.length / 2][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new long[] {pairs[2 * i], pairs[2 * i + 1]};
        }
        return out;
    }

    @ParameterizedTest(name = "size {0} scale {1}")
    @CsvSource({"1, 1.0", "4, 1.0", "8, 2.5", "0, 1.0", "100, 1.0"})
    void withoutMeasurementsTheEstimateIsZero(int size, double scale) {
        assertEquals(0, new LatencyEstimator(MAX).estimateNanos(size, scale));
    }

    static Stream<Arguments> estimates() {
        return Stream.of(
                // observations {size, nanos}..., asked size, scale, expected
                Arguments.of(obs(4, 4_000), 4, 1.0, 4_000L),                     // exact
                Arguments.of(obs(1, 1_000, 4, 3_000), 4, 1.0, 3_000L),           // exact wins over scaling
                Arguments.of(obs(2, 2_000), 5, 1.0, 5_000L),                     // from below: 2000 * 5/2
                Arguments.of(obs(2, 2_000), 3, 1.0, 3_000L),
                Arguments.of(obs(1, 1_000, 2, 1_600), 3, 1.0, 2_400L),           // nearest lower (2), not 1
                Arguments.of(obs(2, 2_000, 4, 100_000), 3, 1.0, 3_000L),         // lower preferred over upper
                Arguments.of(obs(4, 4_000), 1, 1.0, 4_000L),                     // from above: the upper value
                Arguments.of(obs(4, 4_000), 3, 1.0, 4_000L),
                Arguments.of(obs(6, 9_000, 4, 4_000), 2, 1.0, 4_000L),           // nearest upper (4)
                Arguments.of(obs(4, 4_000), 4, 2.5, 10_000L),                    // scale multiplies exact
                Arguments.of(obs(2, 2_000), 6, 0.5, 3_000L),                     // ... and interpolated
                Arguments.of(obs(4, 4_000), 2, 3.0, 12_000L),                    // ... and from above
                Arguments.of(obs(8, 8_000), 20, 1.0, 8_000L),                    // sizes above max clamp to max
                Arguments.of(obs(1, 1_000), 0, 1.0, 1_000L),                     // and below 1 to 1
                Arguments.of(obs(1, 1_000), 20, 1.0, 8_000L));                   // clamped, then scaled 8/1
    }

    @ParameterizedTest(name = "[{index}] size {1} scale {2} -> {3}")
    @MethodSource("estimates")
    void estimates(long[][] observations, int size, double scale, long expected) {
        assertEquals(expected, seeded(observations).estimateNanos(size, scale));
    }

    @ParameterizedTest(name = "observe({0}) is ignored")
    @CsvSource({"0", "-1", "9", "100"})
    void observationsOutsideTheRangeAreIgnored(int size) {
        LatencyEstimator l = new LatencyEstimator(MAX);
        l.observe(size, 5_000, 1.0);
        for (int b = 1; b <= MAX; b++) {
            assertEquals(0, l.estimateNanos(b, 1.0), "size " + b);
        }
    }

    @ParameterizedTest(name = "{1} ns at scale {2} -> {3} ns at scale 1")
    @CsvSource({
        "1, 3000, 3.0, 1000",
        "2, 1000, 0.5, 2000",
        "4, 4000, 1.0, 4000",
    })
    void observationsAreNormalisedByTheirCostScale(int size, long nanos, double scale, long normalised) {
        LatencyEstimator l = new LatencyEstimator(MAX);
        l.observe(size, nanos, scale);
        assertEquals(normalised, l.estimateNanos(size, 1.0));
        assertEquals(nanos, l.estimateNanos(size, scale));
    }

    @Test
    void firstObservationIsTakenAsIs() {
        LatencyEstimator l = new LatencyEstimator(MAX);
        l.observe(3, 12_345, 1.0);
        assertEquals(12_345, l.estimateNanos(3, 1.0));
    }

    @Test
    void ewmaMovesTowardNewObservationsByOneFifth() {
        LatencyEstimator l = new LatencyEstimator(MAX);
        l.observe(1, 1_000, 1.0);

        l.observe(1, 2_000, 1.0);
        assertEquals(1_200, l.estimateNanos(1, 1.0), 1);   // 0.2 * 2000 + 0.8 * 1000
        l.observe(1, 2_000, 1.0);
        assertEquals(1_360, l.estimateNanos(1, 1.0), 1);   // 0.2 * 2000 + 0.8 * 1200

        long previous = l.estimateNanos(1, 1.0);
        for (int i = 0; i < 50; i++) {
            l.observe(1, 2_000, 1.0);
            long now = l.estimateNanos(1, 1.0);
            assertTrue(now >= previous && now <= 2_000, "monotone toward 2000, got " + now);
            previous = now;
        }
        assertTrue(previous >= 1_990, "converged near 2000, got " + previous);

        // and back down
        l.observe(1, 1, 1.0);
        assertTrue(l.estimateNanos(1, 1.0) < previous);
    }

    @Test
    void observationsOfOneSizeDoNotChangeAnother() {
        LatencyEstimator l = new LatencyEstimator(MAX);
        l.observe(2, 2_000, 1.0);
        l.observe(4, 10_000, 1.0);
        l.observe(4, 10_000, 1.0);
        assertEquals(2_000, l.estimateNanos(2, 1.0));
        assertEquals(10_000, l.estimateNanos(4, 1.0));
    }

    /**
     * A burst of contention made batch 1 take 300 ms where it takes 10 ms: with a clock, the estimate not confirmed
     * by an execution relaxes back toward 10 ms (half the excess every 2 s), so that a refusing model lets a request
     * through again and measures; confirmed by executions, it follows them.
     */
    @ParameterizedTest(name = "{0} s without an execution -> {1} ms")
    @CsvSource({"0, 224", "2, 117", "4, 63.5", "10, 16.7", "60, 10"})
    void anUnconfirmedEstimateRelaxesTowardTheBestTimeSeen(double seconds, double ms) {
        long[] now = {0};
        LatencyEstimator l = new LatencyEstimator(MAX, () -> now[0]);
        l.observe(1, 10_000_000, 1.0);
        l.observe(1, 300_000_000, 1.0);   // 0.2 * 300 + 0.8 * 10 = 68 ms
        for (int i = 0; i < 5; i++) {
            l.observe(1, 300_000_000, 1.0);
        }
        // 68 -> 114.4 -> 151.5 -> 181.2 -> 205.0 -> 224.0 ms, confirmed just now; then the clock runs on
        now[0] += (long) (seconds * 1e9);
        assertEquals(ms, l.estimateNanos(1, 1.0) / 1e6, 1.0);
        assertEquals(ms * 2, l.estimateNanos(2, 1.0) / 1e6, 2.0, "unmeasured sizes scale from the relaxed one");
    }

    @org.junit.jupiter.api.Test
    void withoutAClockNothingRelaxes() {
        LatencyEstimator l = new LatencyEstimator(MAX);
        l.observe(1, 10_000_000, 1.0);
        l.observe(1, 300_000_000, 1.0);
        assertEquals(68_000_000, l.estimateNanos(1, 1.0));
    }
}
