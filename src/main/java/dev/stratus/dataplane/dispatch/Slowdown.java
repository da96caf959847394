package dev.stratus.dataplane.dispatch;

import dev.stratus.core.model.fleet.RouteTarget;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

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

    /**
     * A replica's learned slowdown: the moving average of its answers' ratio to the profile ({@code factor}, at
     * least 1) and the moving standard deviation of that ratio ({@code spread}): under contention batch times
     * vary far more than the profile's spread says, and admission has to leave room for that too.
     */
    public record Estimate(double factor, double spread) {
        public static final Estimate NONE = new Estimate(1, 0);

        Estimate next(double ratio) {
            double d = ratio - factor;
            double mean = factor + ALPHA * d;
            // Exponentially weighted variance (West's update), so a steady machine's spread decays to 0.
            double variance = (1 - ALPHA) * (spread * spread + ALPHA * d * d);
            return new Estimate(mean, Math.sqrt(variance));
        }
    }

    private final Map<String, AtomicReference<Estimate>> estimates = new ConcurrentHashMap<>();

    /** The current estimate of a replica (factor 1 and no spread until it has answered slower than predicted). */
    public Estimate of(String replicaId) {
        AtomicReference<Estimate> e = estimates.get(replicaId);
        return e == null ? Estimate.NONE : e.get();
    }

    /** The current factor of a replica. */
    public double factor(String replicaId) {
        return of(replicaId).factor();
    }

    /**
     * A successful answer from {@code target}, {@code answeredMs} after it was sent with {@code ahead} items
     * already in flight there.
     */
    public void observe(RouteTarget target, int ahead, double answeredMs) {
        double batches = Math.floorDiv(Math.max(0, ahead), target.batch()) + 1;
        double ratio = Math.max(1, Math.min(MAX, answeredMs / (batches * target.meanBatchMs())));
        estimates.computeIfAbsent(target.replicaId(), id -> new AtomicReference<>(Estimate.NONE))
                .updateAndGet(e -> e.next(ratio));
    }

    /** Forgets replicas no longer routed. */
    public void retain(Collection<String> replicaIds) {
        estimates.keySet().retainAll(replicaIds);
    }
}
