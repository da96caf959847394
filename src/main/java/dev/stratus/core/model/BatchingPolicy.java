package dev.stratus.core.model;

import java.time.Duration;

/**
 * How a worker batches one model: at most {@code maxBatchSize} items per execution, waiting at most
 * {@code maxQueueDelay} after the oldest queued request for more to arrive, and refusing new requests once
 * {@code maxQueueSize} items wait.
 */
public record BatchingPolicy(int maxBatchSize, Duration maxQueueDelay, int maxQueueSize) {
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
    }

    public long maxQueueDelayNanos() {
        return maxQueueDelay.toNanos();
    }
}
