package dev.stratus.core.simulation.arrival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArrivalProcessTest {

    /** Arrivals in [0, horizon): count, and the CV of the inter-arrival gaps. */
    private record Sample(long count, double cv) {
    }

    private static Sample sample(ArrivalProcess p, double horizon, long seed) {
        var stream = p.start(new SplittableRandom(seed));
        double last = 0;
        double t;
        long n = 0;
        double sum = 0;
        double sumSq = 0;
        while ((t = stream.next()) < horizon) {
            assertTrue(t >= last, "arrival times never decrease");
            double gap = t - last;
            sum += gap;
            sumSq += gap * gap;
            last = t;
            n++;
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        return new Sample(n, Math.sqrt(var) / mean);
    }

    static Stream<Arguments> processes() {
        return Stream.of(
                // process, horizon s, expected mean rate, expected CV of gaps (NaN: not checked), tolerance on rate
                Arguments.of(new PoissonArrivals(1000), 200.0, 1000.0, 1.0, 0.01),
                Arguments.of(new GammaArrivals(500, 0.5), 200.0, 500.0, 0.5, 0.01),
                Arguments.of(new GammaArrivals(500, 4), 2000.0, 500.0, 4.0, 0.03),
                Arguments.of(new ConstantArrivals(250, 0), 100.0, 250.0, 0.0, 0.001),
                Arguments.of(new MmppArrivals(100, 1000, 1, 0.5), 2000.0, 400.0, Double.NaN, 0.02),
                Arguments.of(new DiurnalArrivals(300, 0.8, 100, 0), 1000.0, 300.0, Double.NaN, 0.01),
                Arguments.of(new PiecewiseArrivals(List.of(new PiecewiseArrivals.Segment(0, 100),
                        new PiecewiseArrivals.Segment(50, 1000), new PiecewiseArrivals.Segment(60, 100)), 0),
                        200.0, (50 * 100 + 10 * 1000 + 140 * 100) / 200.0, Double.NaN, 0.02),
                Arguments.of(new TraceReplayArrivals("t", new double[] {600, 0, 1200, 60}, 1), 480.0,
                        (600 + 0 + 1200 + 60) * 2 / 480.0, Double.NaN, 0.03));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("processes")
    void empiricalRateAndCvMatch(ArrivalProcess p, double horizon, double rate, double cv, double tolerance) {
        Sample s = sample(p, horizon, 17);
        assertEquals(rate, s.count() / horizon, rate * tolerance, "mean rate of " + p.describe());
        assertEquals(rate, p.meanRate(horizon), rate * 1e-9, "declared mean rate of " + p.describe());
        if (!Double.isNaN(cv)) {
            assertEquals(cv, s.cv(), Math.max(0.02, cv * 0.05), "CV of " + p.describe());
        }
    }

    @Test
    void mmppIsBurstierThanPoissonAtTheSameMeanRate() {
        assertTrue(sample(new MmppArrivals(100, 1000, 1, 0.5), 2000, 3).cv() > 1.2);
    }

    @Test
    void aStepChangesTheRateAtItsStart() {
        var p = new PiecewiseArrivals(List.of(new PiecewiseArrivals.Segment(0, 100), new PiecewiseArrivals.Segment(100, 800)), 0);
        var stream = p.start(new SplittableRandom(1));
        long before = 0;
        long after = 0;
        double t;
        while ((t = stream.next()) < 200) {
            if (t < 100) {
                before++;
            } else {
                after++;
            }
        }
        assertEquals(10_000, before, 400);
        assertEquals(80_000, after, 1200);
        assertEquals(800, p.peakRate(), 0);
    }

    @Test
    void diurnalRateFollowsTheSinusoid() {
        var p = new DiurnalArrivals(1000, 0.5, 100, 0);
        var stream = p.start(new SplittableRandom(2));
        long[] quarter = new long[4];
        double t;
        while ((t = stream.next()) < 1000) {
            quarter[(int) ((t % 100) / 25)]++;
        }
        // First half of each period above the mean, second half below (sin > 0 then < 0).
        assertTrue(quarter[0] + quarter[1] > 1.5 * (quarter[2] + quarter[3]));
    }

    @Test
    void traceReplayScalesToATargetRateAndRepeats() {
        double[] counts = {60, 120, 0, 60};
        double scale = TraceReplayArrivals.scaleFor(counts, 10);
        var p = new TraceReplayArrivals("sample", counts, scale);
        assertEquals(10, p.meanRate(240), 1e-9);
        assertEquals(120 * scale / 60, p.peakRate(), 1e-9);
        Sample s = sample(p, 2400, 4); // ten repetitions of the 4-minute series
        assertEquals(10, s.count() / 2400.0, 0.3);
    }

    @Test
    void aSeedFixesTheStream() {
        var p = new GammaArrivals(100, 2);
        var a = p.start(new SplittableRandom(5));
        var b = p.start(new SplittableRandom(5));
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.next(), b.next());
        }
    }
}
