package dev.stratus.core.model.profile;

/**
 * What the profiler measured for one batch size: latency statistics of one inference call carrying
 * {@code batch} items (milliseconds), throughput in items per second, the worker's resident memory growth for
 * this batch size (bytes), how many calls were timed and whether the measurement windows agreed before the cap.
 */
public record BatchMeasurement(
        int batch,
        double meanMs,
        double stdMs,
        double p50Ms,
        double p95Ms,
        double p99Ms,
        double throughputPerSecond,
        long memoryBytes,
        int iterations,
        boolean stable) {

    public BatchMeasurement {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (!(meanMs > 0) || stdMs < 0 || !(p50Ms > 0) || p95Ms < p50Ms || p99Ms < p95Ms) {
            throw new IllegalArgumentException("inconsistent latency statistics for batch " + batch
                    + ": mean " + meanMs + ", std " + stdMs + ", p50 " + p50Ms + ", p95 " + p95Ms + ", p99 " + p99Ms);
        }
        if (throughputPerSecond < 0 || iterations < 1) {
            throw new IllegalArgumentException("batch " + batch + ": throughput and iterations must be positive");
        }
    }

    /** The conservative latency the planner uses: the larger of p99 and mean + 2 std. */
    public double conservativeMs() {
        return Math.max(p99Ms, meanMs + 2 * stdMs);
    }
}
