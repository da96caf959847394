package dev.stratus.core.simulation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Time a request spends on the way to its replica and back beyond the network round trip: HTTP parsing and encoding
 * at the gateway and the worker, the proxy hop, scheduling on shared cores. The simulator's batch times are the
 * model's execution alone (the profile), so without this term it predicts the served system's tail too low. Given as
 * an empirical distribution (sorted samples in ms, e.g. the quantiles measured through the gateway at rest minus the
 * model's execution time, as {@code ./stratus bench e2e} does); each request draws one value, interpolated between
 * samples, and adds it to its latency. It does not move deadlines (the batcher sees the request when it arrives).
 */
public record HopOverhead(double[] samplesMs) {
    public static final HopOverhead NONE = new HopOverhead(new double[0]);

    public HopOverhead {
        samplesMs = samplesMs.clone();
        Arrays.sort(samplesMs);
        for (double v : samplesMs) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("hop overhead samples must be >= 0 ms, got " + v);
            }
        }
    }

    /** From quantiles: {@code valuesMs[i]} at quantile {@code (i + 0.5) / n} (equally spaced, e.g. percentiles). */
    public static HopOverhead fromQuantiles(double[] valuesMs) {
        double[] clipped = Arrays.stream(valuesMs).map(v -> Math.max(0, v)).toArray();
        return new HopOverhead(clipped);
    }

    public boolean none() {
        return samplesMs.length == 0;
    }

    /** One draw in milliseconds (0 when there are no samples). */
    public double sampleMs(SplittableRandom rng) {
        int n = samplesMs.length;
        if (n == 0) {
            return 0;
        }
        if (n == 1) {
            return samplesMs[0];
        }
        double x = rng.nextDouble() * (n - 1);
        int i = (int) x;
        return i >= n - 1 ? samplesMs[n - 1] : samplesMs[i] + (x - i) * (samplesMs[i + 1] - samplesMs[i]);
    }

    /** The mean added latency, ms. */
    public double meanMs() {
        return samplesMs.length == 0 ? 0 : Arrays.stream(samplesMs).average().orElse(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HopOverhead h && Arrays.equals(samplesMs, h.samplesMs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(samplesMs);
    }

    @Override
    public String toString() {
        return "HopOverhead[" + samplesMs.length + " samples, mean " + meanMs() + " ms]";
    }
}
