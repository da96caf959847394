package dev.stratus.core.profiling;

import dev.stratus.core.model.profile.BatchMeasurement;

import java.util.Arrays;

/** Turns timed calls of one batch size into a {@link BatchMeasurement}. */
public final class LatencySummary {
    private LatencySummary() {
    }

    /**
     * @param samplesMs   latency of each call, milliseconds
     * @param memoryBytes resident memory growth for this batch size (-1 when unknown)
     * @param stable      whether the stability rule was met
     */
    public static BatchMeasurement of(int batch, double[] samplesMs, long memoryBytes, boolean stable) {
        if (samplesMs.length == 0) {
            throw new IllegalArgumentException("no samples for batch " + batch);
        }
        double[] sorted = samplesMs.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double s : sorted) {
            sum += s;
        }
        double mean = sum / sorted.length;
        double squares = 0;
        for (double s : sorted) {
            squares += (s - mean) * (s - mean);
        }
        double std = sorted.length > 1 ? Math.sqrt(squares / (sorted.length - 1)) : 0;
        // Calls run back to back, one at a time: items per second of busy time.
        double throughput = batch * sorted.length * 1000.0 / sum;
        return new BatchMeasurement(batch, mean, std, percentile(sorted, 50), percentile(sorted, 95),
                percentile(sorted, 99), throughput, memoryBytes, sorted.length, stable);
    }

    /** Nearest-rank percentile of sorted values: the smallest value with at least p % of values at or below it. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Summary of one measurement window for the stability rule. */
    public static StabilityRule.Window window(double[] samplesMs) {
        double[] sorted = samplesMs.clone();
        Arrays.sort(sorted);
        return new StabilityRule.Window(Arrays.stream(sorted).average().orElseThrow(), percentile(sorted, 50));
    }
}
