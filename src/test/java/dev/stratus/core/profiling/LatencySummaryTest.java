package dev.stratus.core.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stratus.core.model.profile.BatchMeasurement;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencySummaryTest {

    @ParameterizedTest(name = "p{0} of 1..100 = {1}")
    @CsvSource({"50, 50", "95, 95", "99, 99", "100, 100", "1, 1"})
    void nearestRankPercentiles(double p, double expected) {
        double[] sorted = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        assertEquals(expected, LatencySummary.percentile(sorted, p));
    }

    @Test
    void summarisesCalls() {
        double[] samples = {4, 2, 6, 4, 4};
        BatchMeasurement m = LatencySummary.of(8, samples, 1024, true);
        assertEquals(4.0, m.meanMs(), 1e-12);
        assertEquals(Math.sqrt(8.0 / 4), m.stdMs(), 1e-12); // sample std
        assertEquals(4.0, m.p50Ms());
        assertEquals(6.0, m.p99Ms());
        assertEquals(8 * 5 * 1000.0 / 20, m.throughputPerSecond(), 1e-9); // items per busy second
        assertEquals(5, m.iterations());
    }
}
