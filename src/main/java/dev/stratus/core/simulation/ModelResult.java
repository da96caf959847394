package dev.stratus.core.simulation;

import java.util.List;

/**
 * One model's outcome over a run. Latencies are end to end (client to client, network round trip included), in
 * milliseconds; percentiles come from a histogram with 3 significant digits, min/mean/max are exact. A request is
 * either completed (within or beyond the SLO) or dropped; drops count as SLO misses.
 * {@code batchSizes.get(b)} is the number of batches of b items executed (index 0 unused).
 */
public record ModelResult(
        String model,
        double sloMs,
        double targetAttainment,
        long requests,
        long completed,
        long withinSlo,
        long dropped,
        double minLatencyMs,
        double meanLatencyMs,
        double p50LatencyMs,
        double p99LatencyMs,
        double maxLatencyMs,
        List<Long> batchSizes) {

    public ModelResult {
        batchSizes = List.copyOf(batchSizes);
    }

    /** Fraction of all requests served within the SLO (drops are misses); 1 when there were none. */
    public double attainment() {
        return requests == 0 ? 1 : (double) withinSlo / requests;
    }

    public boolean meetsTarget() {
        return attainment() >= targetAttainment;
    }

    /** Requests served within the SLO per second of simulated time. */
    public double goodput(double durationSeconds) {
        return withinSlo / durationSeconds;
    }

    public long batches() {
        return batchSizes.stream().mapToLong(Long::longValue).sum();
    }

    public double meanBatch() {
        long batches = 0;
        long items = 0;
        for (int b = 1; b < batchSizes.size(); b++) {
            batches += batchSizes.get(b);
            items += b * batchSizes.get(b);
        }
        return batches == 0 ? 0 : (double) items / batches;
    }
}
