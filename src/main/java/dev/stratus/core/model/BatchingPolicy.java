package dev.stratus.core.model;

import dev.stratus.core.batching.BatchFormation;
import dev.stratus.core.batching.OverloadRule;
import java.time.Duration;

/**
 * How a worker batches one model: at most {@code maxBatchSize} items per execution, waiting at most
 * {@code maxQueueDelay} after the oldest queued request for more to arrive, refusing new requests once
 * {@code maxQueueSize} items wait, and, under overload, dropping the queue heads a full batch cannot serve in time
 * ({@link OverloadRule#DROP_HEAD}, the default) or shrinking batches for them ({@link OverloadRule#SHRINK}).
 */
public record BatchingPolicy(int maxBatchSize, Duration maxQueueDelay, int maxQueueSize, OverloadRule overload) {
    public static final int DEFAULT_MAX_BATCH = 8;
    public static final Duration DEFAULT_MAX_QUEUE_DELAY = Duration.ofMillis(2);
    public static final int DEFAULT_MAX_QUEUE_SIZE = 1024;

    public BatchingPolicy {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be >= 1, got " + maxBatchSize);
        }
        if (maxQueueDelay.isNegative()) {
            throw new IllegalArgumentException("max queue delay must be >= 0, got " + maxQueueDelay);
        }
        if (maxQueueSize < 1) {
            throw new IllegalArgumentException("max queue size must be >= 1, got " + maxQueueSize);
        }
        if (overload == null) {
            throw new IllegalArgumentException("an overload rule is required");
        }
    }

    /** With the default overload rule, early drop. */
    public BatchingPolicy(int maxBatchSize, Duration maxQueueDelay, int maxQueueSize) {
        this(maxBatchSize, maxQueueDelay, maxQueueSize, OverloadRule.DROP_HEAD);
    }

    public long maxQueueDelayNanos() {
        return maxQueueDelay.toNanos();
    }

    /** The batch rule's settings. */
    public BatchFormation.Limits limits() {
        return new BatchFormation.Limits(maxBatchSize, maxQueueDelayNanos(), overload);
    }
}
