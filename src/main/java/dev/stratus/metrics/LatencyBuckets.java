package dev.stratus.metrics;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.stream.DoubleStream;

/**
 * Bucket edges of every latency histogram: fixed edges from 1 ms to 2 s, so that histograms of several workers
 * can be summed and any SLO in that range read off them, plus, at the gateway, the model's own SLO, so that the
 * share of requests within it is exact rather than interpolated.
 */
final class LatencyBuckets {
    static final double[] FIXED_MS = {1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000,
            1500, 2000};

    private LatencyBuckets() {
    }

    /** The fixed edges and the extra ones (e.g. a model's SLO), sorted, without duplicates. */
    static double[] edgesMs(double... extraMs) {
        TreeSet<Double> edges = new TreeSet<>();
        DoubleStream.concat(Arrays.stream(FIXED_MS), Arrays.stream(extraMs)).filter(ms -> ms > 0).forEach(edges::add);
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A latency timer builder with these edges (name, description and tags are the caller's). */
    static Timer.Builder timer(String name, double... extraMs) {
        return Timer.builder(name).serviceLevelObjectives(Arrays.stream(edgesMs(extraMs))
                        .mapToObj(ms -> Duration.ofNanos(Math.round(ms * 1_000_000))).toArray(Duration[]::new))
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(2));
    }
}
