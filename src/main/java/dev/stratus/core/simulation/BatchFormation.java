package dev.stratus.core.simulation;

/**
 * What a replica's batcher does with deadlines. Every rule dispatches when the batch is full or the oldest request
 * has waited the max queue delay (or the replica drains); they differ in what happens to late requests.
 */
public enum BatchFormation {
    /**
     * The Stratus worker ({@code dataplane.worker.batching.BatchFormation}): drop a request that cannot finish by
     * its deadline even alone; shrink the batch so that its estimated finish meets the oldest member's deadline;
     * dispatch early when waiting for a full batch would break that deadline.
     */
    DEADLINE_AWARE,
    /**
     * Nexus' sliding window ({@code backend/model_exec.cpp}): keep the batch size, drop from the head every request
     * whose deadline is earlier than now + l(batch); dispatch early like DEADLINE_AWARE.
     */
    SLIDING_WINDOW,
    /**
     * No deadline logic (Triton's default dynamic batcher, Clipper): late requests are served late, counted as SLO
     * misses; only a full queue rejects.
     */
    FIFO
}
