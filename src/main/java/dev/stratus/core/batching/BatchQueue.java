package dev.stratus.core.batching;

import java.util.List;

/**
 * Read access to one model's queue, oldest request first, as {@link BatchFormation} needs it. Index-based so that
 * the simulator can offer its queue of arrival times without creating an object per request.
 */
public interface BatchQueue {
    int size();

    /** When request {@code i} entered the queue (nanoseconds, the same clock as {@code now}). */
    long enqueuedAtNanos(int i);

    /** Its absolute deadline, or {@link Long#MAX_VALUE} for none. */
    long deadlineNanos(int i);

    /** Items it contributes to a batch. */
    int batchCount(int i);

    /** Cost of one of its items relative to the shape the latency estimates were measured at. */
    double costScale(int i);

    /** Whether requests {@code i} and {@code j} may share a batch. */
    boolean compatible(int i, int j);

    /**
     * True when every request is one item of one shape, compatible with every other, and deadlines never decrease
     * along the queue (one deadline budget per model, as in the simulator). The rule then looks only at the head of
     * the queue: expired and dropped requests are a prefix, and the batch is the run of requests behind them, up to
     * the first that does not fit.
     */
    boolean uniform();

    /** A worker's queue of request objects. */
    static BatchQueue of(List<? extends BatchItem> items) {
        return new BatchQueue() {
            @Override
            public int size() {
                return items.size();
            }

            @Override
            public long enqueuedAtNanos(int i) {
                return items.get(i).enqueuedAtNanos();
            }

            @Override
            public long deadlineNanos(int i) {
                return items.get(i).deadlineNanos();
            }

            @Override
            public int batchCount(int i) {
                return items.get(i).batchCount();
            }

            @Override
            public double costScale(int i) {
                return items.get(i).costScale();
            }

            @Override
            public boolean compatible(int i, int j) {
                return items.get(i).compatibilityKey().equals(items.get(j).compatibilityKey());
            }

            @Override
            public boolean uniform() {
                return false;
            }
        };
    }
}
