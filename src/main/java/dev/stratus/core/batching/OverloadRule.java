package dev.stratus.core.batching;

/**
 * What the batch rule does with a queue head that cannot finish by its deadline in the batch the queue offers
 * (the head and the compatible requests behind it, up to the max batch). The rules differ only when heads are
 * short of slack, that is under a backlog.
 */
public enum OverloadRule {
    /**
     * Early drop under overload, the worker's rule: when the queue offers a full batch and the head cannot finish
     * in it, answer the head with the deadline error and look at the next one, so that batches stay full and the
     * replica keeps its full-batch throughput b/l(b). With less than a full batch queued there is no backlog to
     * protect: the batch shrinks so that the head is served.
     */
    DROP_HEAD,
    /**
     * Nexus' sliding window ({@code backend/model_exec.cpp}; serving-papers.md §1.5): drop every head whose deadline
     * is earlier than now + l(offered batch), whatever the offered batch's size.
     */
    SLIDING_WINDOW,
    /**
     * Always shrink the batch until its finish meets the head's deadline (the worker's rule before early drop).
     * Under overload every head is short of slack, batches fall towards 1 and throughput towards 1/l(1): kept to
     * measure the difference.
     */
    SHRINK
}
