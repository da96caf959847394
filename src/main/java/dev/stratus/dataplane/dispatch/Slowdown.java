package dev.stratus.dataplane.dispatch;

import dev.stratus.core.model.fleet.RouteTarget;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much longer than its profile says each replica takes per batch now, learned from the answers themselves:
 * the time from sending a request to its answer, per batch it waited for (the full batches ahead of it, and its
 * own), against the profile's mean batch time. Profiles are measured on a quiet machine; when the cores are shared
 * with other work the batches take longer, and a queue the profile says drains in time does not. The time also
 * holds what a batch costs besides the model (HTTP, the batcher's wait), so small models read a few times slower
 * than their bare profile even on a quiet machine: their queues are then kept shorter, still several batches
 * deep, which is what keeps a replica busy. Admission scales the wait for the batches ahead by this factor,
 * so that the gateway admits shorter queues and sheds the excess at once (429) instead of admitting requests that
 * miss their deadline in a worker's queue. Never below 1 (a machine faster than its profile keeps the profile's
 * admission), at most {@link #MAX}; a moving average, so it follows the machine back down. Thread-safe.
 */
public final class Slowdown {
    /** Weight of the newest answer: a few seconds of answers under overload are enough to follow the machine. */
    static final double ALPHA = 0.2;
    /** Contention has been seen to make batches 20 times slower than profiled; one outlier moves it at most this. */
    static final double MAX = 50;

    private final Map<String, AtomicLong> factors = new ConcurrentHashMap<>();

    /** The current factor of a replica (1 until it has answered slower than predicted). */
    public double factor(String replicaId) {
        AtomicLong f = factors.get(replicaId);
        return f == null ? 1 : Double.longBitsToDouble(f.get());
    }

    /**
     * A successful answer from {@code target}, {@code answeredMs} after it was sent with {@code ahead} items
     * already in flight there.
     */
    public void observe(RouteTarget target, int ahead, double answeredMs) {
        double batches = Math.floorDiv(Math.max(0, ahead), target.batch()) + 1;
        double ratio = Math.max(1, Math.min(MAX, answeredMs / (batches * target.meanBatchMs())));
        AtomicLong f = factors.computeIfAbsent(target.replicaId(), id -> new AtomicLong(Double.doubleToLongBits(1)));
        f.updateAndGet(bits -> Double.doubleToLongBits(ALPHA * ratio + (1 - ALPHA) * Double.longBitsToDouble(bits)));
    }

    /** Forgets replicas no longer routed. */
    public void retain(Collection<String> replicaIds) {
        factors.keySet().retainAll(replicaIds);
    }
}
