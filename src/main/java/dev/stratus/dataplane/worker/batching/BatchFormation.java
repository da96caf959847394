package dev.stratus.dataplane.worker.batching;

import dev.stratus.core.model.BatchingPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The dynamic batcher's decision, as a pure function of the queue, the time and the latency estimates:
 * which requests can no longer meet their deadline, and whether to dispatch a batch now or wait.
 *
 * <ul>
 *   <li>A request whose deadline cannot be met even if it ran alone right now is expired.</li>
 *   <li>The batch is built from the oldest request and the compatible requests behind it, in arrival order,
 *       adding a request only while the batch stays within the max size and its estimated finish still meets
 *       every member's deadline (requests that do not fit stay queued for the next batch).</li>
 *   <li>It is dispatched when full, when the oldest request has waited the max queue delay, when waiting
 *       any longer for a full batch would break a member's deadline, or when the worker is draining.</li>
 * </ul>
 */
public final class BatchFormation {
    private BatchFormation() {
    }

    /**
     * What to do now: answer {@code expired} at once; run {@code batch} if it is non-empty; otherwise wait until
     * {@code wakeAtNanos} ({@link Long#MAX_VALUE}: until something changes).
     */
    public record Decision<T>(List<T> expired, List<T> batch, long wakeAtNanos) {
        public boolean dispatch() {
            return !batch.isEmpty();
        }
    }

    /**
     * @param queue        queued requests, oldest first
     * @param canDispatch  whether an execution slot is free (if not, only expiry is decided)
     * @param flush        dispatch without waiting for more requests (draining)
     */
    public static <T extends BatchItem> Decision<T> decide(List<T> queue, long now, BatchingPolicy policy,
            LatencyEstimator latency, boolean canDispatch, boolean flush) {
        List<T> expired = new ArrayList<>();
        List<T> live = new ArrayList<>(queue.size());
        long nextExpiry = Long.MAX_VALUE;
        for (T item : queue) {
            long latestStart = latestStart(item, item.batchCount(), latency);
            if (latestStart < now) {
                expired.add(item);
            } else {
                live.add(item);
                nextExpiry = Math.min(nextExpiry, latestStart);
            }
        }
        if (live.isEmpty()) {
            return new Decision<>(expired, List.of(), Long.MAX_VALUE);
        }
        if (!canDispatch) {
            // Wake when the next request would expire so it is answered promptly, even while executing.
            return new Decision<>(expired, List.of(), afterExpiry(nextExpiry));
        }
        T head = live.get(0);
        List<T> batch = new ArrayList<>();
        int size = 0;
        long tightestDeadline = Long.MAX_VALUE;
        for (T item : live) {
            if (!item.compatibilityKey().equals(head.compatibilityKey())) {
                continue;
            }
            int newSize = size + item.batchCount();
            if (newSize > policy.maxBatchSize()) {
                break;
            }
            long deadline = Math.min(tightestDeadline, item.deadlineNanos());
            if (deadline != Long.MAX_VALUE
                    && now + latency.estimateNanos(newSize, head.costScale()) > deadline) {
                continue;
            }
            batch.add(item);
            size = newSize;
            tightestDeadline = deadline;
        }
        if (batch.isEmpty()) {
            // Only possible for a head larger than the max batch (callers validate against that): run it alone
            // rather than stall the queue behind it.
            batch.add(head);
            return new Decision<>(expired, batch, Long.MAX_VALUE);
        }
        if (flush || size >= policy.maxBatchSize()) {
            return new Decision<>(expired, batch, Long.MAX_VALUE);
        }
        // Latest moment to start so that a full batch would still meet the tightest member's deadline.
        long byDeadline = tightestDeadline == Long.MAX_VALUE ? Long.MAX_VALUE
                : tightestDeadline - latency.estimateNanos(policy.maxBatchSize(), head.costScale());
        long byDelay = saturatedAdd(head.enqueuedAtNanos(), policy.maxQueueDelayNanos());
        long dispatchAt = Math.min(byDelay, byDeadline);
        if (dispatchAt <= now) {
            return new Decision<>(expired, batch, Long.MAX_VALUE);
        }
        return new Decision<>(expired, List.of(), Math.min(dispatchAt, afterExpiry(nextExpiry)));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** The first instant at which a request whose latest start is {@code latestStart} counts as expired. */
    private static long afterExpiry(long latestStart) {
        return latestStart == Long.MAX_VALUE ? Long.MAX_VALUE : latestStart + 1;
    }

    /** The latest start time at which {@code item} alone would still finish by its deadline. */
    public static long latestStart(BatchItem item, int batchSize, LatencyEstimator latency) {
        if (item.deadlineNanos() == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return item.deadlineNanos() - latency.estimateNanos(batchSize, item.costScale());
    }
}
