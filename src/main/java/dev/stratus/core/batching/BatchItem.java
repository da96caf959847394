package dev.stratus.core.batching;

/** What the batcher needs to know about a queued request; the request itself stays opaque to it. */
public interface BatchItem {
    /** When the request entered the queue (nanoTime). */
    long enqueuedAtNanos();

    /** Absolute deadline (nanoTime), or {@link Long#MAX_VALUE} for none. */
    long deadlineNanos();

    /** Items the request contributes to a batch (its own size along the batch axis). */
    int batchCount();

    /** Requests may share a batch only when their keys are equal (same non-batch dims, same shared inputs). */
    Object compatibilityKey();

    /** Cost of one of its items relative to the shape the latency estimates were measured at. */
    double costScale();
}
