package dev.stratus.core.batching;

import java.util.Arrays;

/**
 * What {@link BatchFormation#decide} concluded, as positions in the queue it was given: the requests to answer
 * with the deadline error at once ({@code expired}: they cannot finish even alone; {@code dropped}: the batch the
 * queue offers cannot serve them in time, {@link OverloadRule#DROP_HEAD}), the batch to run now (empty: wait), and
 * when to decide again.
 *
 * <p>Mutable and reused on purpose: the simulator takes millions of decisions per second, and one allocation-free
 * holder per replica keeps that loop free of garbage. Positions are in ascending order within each list.
 */
public final class BatchDecision {
    private int[] expired = new int[8];
    private int expiredCount;
    private int[] dropped = new int[8];
    private int droppedCount;
    private int[] batch = new int[8];
    private int batchCount;
    private int batchSize;
    /** When at or above 0, the batch is the run of positions from here (a uniform queue's), not the array. */
    private int runStart = -1;
    private long wakeAtNanos;

    void clear() {
        expiredCount = 0;
        droppedCount = 0;
        clearBatch();
        wakeAtNanos = Long.MAX_VALUE;
    }

    void clearBatch() {
        batchCount = 0;
        batchSize = 0;
        runStart = -1;
    }

    void expire(int position) {
        if (expiredCount == expired.length) {
            expired = Arrays.copyOf(expired, expiredCount * 2);
        }
        expired[expiredCount++] = position;
    }

    void drop(int position) {
        if (droppedCount == dropped.length) {
            dropped = Arrays.copyOf(dropped, droppedCount * 2);
        }
        dropped[droppedCount++] = position;
    }

    void add(int position, int items) {
        if (batchCount == batch.length) {
            batch = Arrays.copyOf(batch, batchCount * 2);
        }
        batch[batchCount++] = position;
        batchSize += items;
    }

    /** A batch of {@code count} single-item requests at consecutive positions from {@code start}. */
    void addRun(int start, int count) {
        runStart = start;
        batchCount = count;
        batchSize = count;
    }

    void wakeAt(long nanos) {
        wakeAtNanos = nanos;
    }

    /** Requests that cannot finish by their deadline even if run alone now. */
    public int expiredCount() {
        return expiredCount;
    }

    public int expired(int k) {
        return expired[k];
    }

    /** Queue heads the batch the queue offers cannot serve in time (early drop). */
    public int droppedCount() {
        return droppedCount;
    }

    public int dropped(int k) {
        return dropped[k];
    }

    /** Whether to run a batch now. */
    public boolean dispatch() {
        return batchCount > 0;
    }

    /** Requests in the batch to run now. */
    public int batchCount() {
        return batchCount;
    }

    public int batch(int k) {
        return runStart >= 0 ? runStart + k : batch[k];
    }

    /** Items in the batch to run now (requests may carry several). */
    public int batchSize() {
        return batchSize;
    }

    /** When to decide again if nothing else changes ({@link Long#MAX_VALUE}: not until something does). */
    public long wakeAtNanos() {
        return wakeAtNanos;
    }

    @Override
    public String toString() {
        return "BatchDecision[expired=" + Arrays.toString(Arrays.copyOf(expired, expiredCount)) + ", dropped="
                + Arrays.toString(Arrays.copyOf(dropped, droppedCount)) + ", batch="
                + (runStart >= 0 ? runStart + "+" + batchCount : Arrays.toString(Arrays.copyOf(batch, batchCount)))
                + ", wake=" + wakeAtNanos + "]";
    }
}
