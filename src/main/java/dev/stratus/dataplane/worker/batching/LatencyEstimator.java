package dev.stratus.dataplane.worker.batching;

import dev.stratus.core.batching.BatchLatency;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Running estimate of a model's execution time per batch size, at the reference (warm-up) shape. Seeded
 * by warm-up, then updated from every executed batch with an exponentially weighted moving average, so
 * deadline checks follow the machine's actual speed. Thread-safe; lock-free on the request path.
 */
public final class LatencyEstimator implements BatchLatency {
    private static final double ALPHA = 0.2;
    private final AtomicLongArray nanos;

    public LatencyEstimator(int maxBatchSize) {
        this.nanos = new AtomicLongArray(maxBatchSize + 1);
    }

    /** Records one execution of {@code batchSize} items that took {@code elapsedNanos} at cost scale {@code scale}. */
    public void observe(int batchSize, long elapsedNanos, double scale) {
        if (batchSize < 1 || batchSize >= nanos.length()) {
            return;
        }
        long normalised = (long) (elapsedNanos / Math.max(scale, 1e-9));
        nanos.getAndUpdate(batchSize, prev -> prev == 0 ? normalised : (long) (ALPHA * normalised + (1 - ALPHA) * prev));
    }

    /**
     * Estimated execution time of a batch. Unmeasured sizes are scaled linearly from the nearest measured
     * size below (or above); with no measurement at all the estimate is 0, i.e. no request is refused on a
     * guess.
     */
    @Override
    public long estimateNanos(int batchSize, double scale) {
        int b = Math.max(1, Math.min(batchSize, nanos.length() - 1));
        long exact = nanos.get(b);
        if (exact > 0) {
            return (long) (exact * scale);
        }
        for (int lower = b - 1; lower >= 1; lower--) {
            long v = nanos.get(lower);
            if (v > 0) {
                return (long) (v * (double) b / lower * scale);
            }
        }
        for (int upper = b + 1; upper < nanos.length(); upper++) {
            long v = nanos.get(upper);
            if (v > 0) {
                return (long) (v * scale);
            }
        }
        return 0;
    }
}
