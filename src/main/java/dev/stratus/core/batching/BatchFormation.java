package dev.stratus.core.batching;

/**
 * The dynamic batcher's decision, one pure function shared by the worker ({@code DynamicBatcher}) and the
 * simulator: which queued requests can no longer meet their deadline, and whether to run a batch now or wait.
 *
 * <ol>
 *   <li><b>Expiry.</b> A request that cannot finish by its deadline even if it ran alone right now is answered with
 *       the deadline error.</li>
 *   <li><b>Early drop</b> ({@link OverloadRule#DROP_HEAD}, after Nexus). The batch the queue offers is the oldest
 *       live request and the compatible requests behind it, up to the max batch. While that batch is full and the
 *       head cannot finish in it by its deadline, the head is answered with the deadline error and the next request
 *       becomes the head. Under a backlog this keeps batches full (throughput b/l(b)) where shrinking them to save
 *       each late head collapses throughput towards 1/l(1). With less than a full batch queued the batch shrinks
 *       for the head instead (step 3). {@link OverloadRule#SLIDING_WINDOW} drops whatever the offered size (Nexus
 *       exactly); {@link OverloadRule#SHRINK} never drops.</li>
 *   <li><b>Batch.</b> From the head, the compatible requests in arrival order, adding one only while the batch stays
 *       within the max size and its estimated finish still meets every member's deadline (requests that do not
 *       fit stay queued). For a {@linkplain BatchQueue#uniform() uniform} queue (the simulator's) this is the
 *       longest run behind the head whose finish meets the head's deadline, found without visiting each request:
 *       the same batch whenever a larger batch never takes less time.</li>
 *   <li><b>When.</b> It runs when full, when the head has waited the max queue delay, when waiting any longer for a
 *       full batch would break a member's deadline, or at once when draining.</li>
 * </ol>
 */
public final class BatchFormation {

    /**
     * The batcher's settings: at most {@code maxBatch} items per batch, waiting at most {@code maxQueueDelayNanos}
     * after the head arrived, and what to do with heads a full batch cannot serve.
     */
    public record Limits(int maxBatch, long maxQueueDelayNanos, OverloadRule overload) {
        public Limits {
            if (maxBatch < 1 || maxQueueDelayNanos < 0 || overload == null) {
                throw new IllegalArgumentException("max batch >= 1, max queue delay >= 0 and an overload rule needed");
            }
        }

        public Limits withMaxBatch(int batch) {
            return batch == maxBatch ? this : new Limits(batch, maxQueueDelayNanos, overload);
        }
    }

    private BatchFormation() {
    }

    /**
     * Decides for {@code queue} at time {@code now} into {@code out} (cleared first).
     *
     * @param canDispatch whether an execution slot is free (if not, only expiry is decided)
     * @param flush       run what is queued without waiting for more (draining)
     */
    public static void decide(BatchQueue queue, long now, Limits limits, BatchLatency latency, boolean canDispatch,
            boolean flush, BatchDecision out) {
        out.clear();
        int n = queue.size();
        int head = -1;
        long nextExpiry = Long.MAX_VALUE;
        boolean uniform = queue.uniform();
        for (int i = 0; i < n; i++) {
            long latestStart = latestStart(queue, i, latency);
            if (latestStart < now) {
                out.expire(i);
                continue;
            }
            if (head < 0) {
                head = i;
            }
            nextExpiry = Math.min(nextExpiry, latestStart);
            if (uniform) {
                break; // every later request may start no earlier: all live
            }
        }
        if (head < 0) {
            return;
        }
        if (!canDispatch) {
            // Wake when the next request would expire so that it is answered promptly, even while executing.
            out.wakeAt(afterExpiry(nextExpiry));
            return;
        }
        if (limits.overload() != OverloadRule.SHRINK) {
            boolean anySize = limits.overload() == OverloadRule.SLIDING_WINDOW;
            while (head >= 0 && queue.deadlineNanos(head) != Long.MAX_VALUE) {
                int offered = offeredSize(queue, head, now, limits.maxBatch(), latency);
                long finish = now + latency.estimateNanos(offered, queue.costScale(head));
                boolean meets = finish <= queue.deadlineNanos(head);
                if (meets || !(anySize || offered >= limits.maxBatch())) {
                    break;
                }
                out.drop(head);
                head = nextLive(queue, head, now, latency);
            }
            if (head < 0) {
                return;
            }
        }
        int size;
        long tightestDeadline;
        double scale = queue.costScale(head);
        if (uniform) {
            // The head has the tightest deadline; the batch is the longest run behind it that still meets it.
            size = Math.min(n - head, limits.maxBatch());
            tightestDeadline = queue.deadlineNanos(head);
            while (size > 1 && tightestDeadline != Long.MAX_VALUE
                    && now + latency.estimateNanos(size, scale) > tightestDeadline) {
                size--;
            }
            out.addRun(head, size);
        } else {
            size = 0;
            tightestDeadline = Long.MAX_VALUE;
            for (int i = head; i < n; i++) {
                if (i > head && (!queue.compatible(head, i) || latestStart(queue, i, latency) < now)) {
                    continue;
                }
                int newSize = size + queue.batchCount(i);
                if (newSize > limits.maxBatch()) {
                    break;
                }
                long deadline = Math.min(tightestDeadline, queue.deadlineNanos(i));
                if (deadline != Long.MAX_VALUE && now + latency.estimateNanos(newSize, scale) > deadline) {
                    continue;
                }
                out.add(i, queue.batchCount(i));
                size = newSize;
                tightestDeadline = deadline;
            }
            if (!out.dispatch()) {
                // Only possible for a head larger than the max batch (callers validate against that): run it
                // alone rather than stall the queue behind it.
                out.add(head, queue.batchCount(head));
                return;
            }
        }
        if (flush || size >= limits.maxBatch()) {
            return;
        }
        // Latest moment to start so that a full batch would still meet the tightest member's deadline.
        long byDeadline = tightestDeadline == Long.MAX_VALUE ? Long.MAX_VALUE
                : tightestDeadline - latency.estimateNanos(limits.maxBatch(), scale);
        long byDelay = saturatedAdd(queue.enqueuedAtNanos(head), limits.maxQueueDelayNanos());
        long dispatchAt = Math.min(byDelay, byDeadline);
        if (dispatchAt <= now) {
            return;
        }
        out.clearBatch();
        out.wakeAt(Math.min(dispatchAt, afterExpiry(nextExpiry)));
    }

    /** Items in the batch the queue offers now: the head and the compatible live requests behind it, up to the max. */
    private static int offeredSize(BatchQueue queue, int head, long now, int maxBatch, BatchLatency latency) {
        if (queue.uniform()) {
            return Math.min(queue.size() - head, maxBatch);
        }
        int offered = queue.batchCount(head);
        for (int i = head + 1; i < queue.size() && offered < maxBatch; i++) {
            if (queue.compatible(head, i) && latestStart(queue, i, latency) >= now
                    && offered + queue.batchCount(i) <= maxBatch) {
                offered += queue.batchCount(i);
            }
        }
        return offered;
    }

    private static int nextLive(BatchQueue queue, int after, long now, BatchLatency latency) {
        if (queue.uniform()) {
            return after + 1 < queue.size() ? after + 1 : -1;
        }
        for (int i = after + 1; i < queue.size(); i++) {
            if (latestStart(queue, i, latency) >= now) {
                return i;
            }
        }
        return -1;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** The first instant at which a request whose latest start is {@code latestStart} counts as expired. */
    private static long afterExpiry(long latestStart) {
        return latestStart == Long.MAX_VALUE ? Long.MAX_VALUE : latestStart + 1;
    }

    private static long latestStart(BatchQueue queue, int i, BatchLatency latency) {
        long deadline = queue.deadlineNanos(i);
        if (deadline == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return deadline - latency.estimateNanos(queue.batchCount(i), queue.costScale(i));
    }

    /** The latest start time at which {@code item} alone would still finish by its deadline. */
    public static long latestStart(BatchItem item, BatchLatency latency) {
        if (item.deadlineNanos() == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return item.deadlineNanos() - latency.estimateNanos(item.batchCount(), item.costScale());
    }
}
