package dev.stratus.loadgen;

import org.HdrHistogram.Histogram;

/** Percentiles of a latency distribution, in milliseconds (ok-response latency, or the client's send lag). */
public record LatencySummary(long count, double meanMs, double p50Ms, double p90Ms, double p95Ms, double p99Ms,
                             double p999Ms, double maxMs) {

    /** @return null when the histogram (in microseconds) is empty */
    static LatencySummary of(Histogram us) {
        if (us.getTotalCount() == 0) {
            return null;
        }
        return new LatencySummary(us.getTotalCount(), us.getMean() / 1e3, ms(us, 50), ms(us, 90), ms(us, 95),
                ms(us, 99), ms(us, 99.9), us.getMaxValue() / 1e3);
    }

    private static double ms(Histogram us, double percentile) {
        return us.getValueAtPercentile(percentile) / 1e3;
    }
}
