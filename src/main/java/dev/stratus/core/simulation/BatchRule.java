package dev.stratus.core.simulation;

import dev.stratus.core.batching.OverloadRule;

/**
 * Which batch rule a replica group's batcher runs. Every rule is the worker's own batch formation function
 * ({@link dev.stratus.core.batching.BatchFormation}, the one the Stratus worker calls), configured: all dispatch
 * when the batch is full or the oldest request has waited the max queue delay (or the replica drains); they differ
 * in what they do with deadlines.
 */
public enum BatchRule {
    /** The Stratus worker: expire what cannot finish even alone, early drop under overload. */
    DEADLINE_AWARE(OverloadRule.DROP_HEAD, true),
    /** Nexus' sliding window ({@code backend/model_exec.cpp}): drop each head the offered batch cannot serve. */
    SLIDING_WINDOW(OverloadRule.SLIDING_WINDOW, true),
    /** The Stratus worker before early drop: shrink batches for late heads ({@link OverloadRule#SHRINK}). */
    SHRINK(OverloadRule.SHRINK, true),
    /**
     * No deadline logic (Triton's default dynamic batcher, Clipper): late requests are served late, counted as SLO
     * misses; only a full queue rejects. The same function with no request carrying a deadline.
     */
    FIFO(OverloadRule.SHRINK, false);

    private final OverloadRule overload;
    private final boolean deadlines;

    BatchRule(OverloadRule overload, boolean deadlines) {
        this.overload = overload;
        this.deadlines = deadlines;
    }

    public OverloadRule overload() {
        return overload;
    }

    /** Whether requests carry their deadline (arrival + SLO − RTT) to the batcher. */
    public boolean deadlines() {
        return deadlines;
    }
}
