package dev.stratus.dataplane.worker.batching;

import dev.stratus.core.batching.BatchLatency;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Running estimate of a model's execution time per batch size, at the reference (warm-up) shape. Seeded
 * by warm-up, then updated from every executed batch with an exponentially weighted moving average, so
 * deadline checks follow the machine's actual speed. Thread-safe; lock-free on the request path.
 *
 * <p>With a clock, an estimate that has not been confirmed by an execution for a while relaxes toward the
 * fastest time this batch size has shown, halving the excess every {@link #RELAX_HALF_LIFE_NANOS}. Requests
 * the estimate says cannot meet their deadline are refused without running, so an estimate inflated by a burst
 * of CPU contention would otherwise never be corrected: the model would refuse every request long after the
 * machine is quiet again. Relaxed, it lets a request through now and then, whose execution measures the truth.
 */
public final class LatencyEstimator implements BatchLatency {
    private static final double ALPHA = 0.2;
    /** Half-life of an unconfirmed estimate's excess over the best time seen. */
    public static final long RELAX_HALF_LIFE_NANOS = 2_000_000_000L;
    private final AtomicLongArray nanos;
    private final AtomicLongArray best;
    private final LongSupplier clock;
    private final AtomicLong lastObservedAt = new AtomicLong();

    /** Estimates that hold until the next execution (no clock: nothing relaxes). */
    public LatencyEstimator(int maxBatchSize) {
        this(maxBatchSize, null);
    }

    /** @param clock nanoTime-like; estimates not confirmed by an execution relax over time */
    public LatencyEstimator(int maxBatchSize, LongSupplier clock) {
        this.nanos = new AtomicLongArray(maxBatchSize + 1);
        this.best = new AtomicLongArray(maxBatchSize + 1);
        this.clock = clock;
    }

    /** Records one execution of {@code batchSize} items that took {@code elapsedNanos} at cost scale {@code scale}. */
    public void observe(int batchSize, long elapsedNanos, double scale) {
        if (batchSize < 1 || batchSize >= nanos.length()) {
            return;
        }
        long normalised = (long) (elapsedNanos / Math.max(scale, 1e-9));
        // The excess over the best decays while unconfirmed: update from what the estimate has relaxed to.
        nanos.getAndUpdate(batchSize, prev -> {
            long current = relaxed(batchSize, prev);
            return current == 0 ? normalised : (long) (ALPHA * normalised + (1 - ALPHA) * current);
        });
        best.getAndUpdate(batchSize, b -> b == 0 ? normalised : Math.min(b, normalised));
        if (clock != null) {
            lastObservedAt.set(clock.getAsLong());
        }
    }

    /** The stored estimate of one size, relaxed toward its best for the time since the last execution. */
    private long relaxed(int b) {
        return relaxed(b, nanos.get(b));
    }

    private long relaxed(int b, long value) {
        if (clock == null || value == 0) {
            return value;
        }
        long age = clock.getAsLong() - lastObservedAt.get();
        if (age <= 0) {
            return value;
        }
        long floor = best.get(b);
        return floor + (long) ((value - floor) * Math.pow(0.5, (double) age / RELAX_HALF_LIFE_NANOS));
    }

    /**
     * Estimated execution time of a batch. Unmeasured sizes are scaled linearly from the nearest measured
     * size below (or above); with no measurement at all the estimate is 0, i.e. no request is refused on a
     * guess.
     */
    @Override
    public long estimateNanos(int batchSize, double scale) {
        int b = Math.max(1, Math.min(batchSize, nanos.length() - 1));
        long exact = relaxed(b);
        if (exact > 0) {
            return (long) (exact * scale);
        }
        for (int lower = b - 1; lower >= 1; lower--) {
            long v = relaxed(lower);
            if (v > 0) {
                return (long) (v * (double) b / lower * scale);
            }
        }
        for (int upper = b + 1; upper < nanos.length(); upper++) {
            long v = relaxed(upper);
            if (v > 0) {
                return (long) (v * scale);
            }
        }
        return 0;
    }
}
