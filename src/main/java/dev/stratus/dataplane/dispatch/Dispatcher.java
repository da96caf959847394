package dev.stratus.dataplane.dispatch;

import dev.stratus.core.model.fleet.DispatchMode;
import dev.stratus.core.model.fleet.RouteTarget;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Picks the replica for each request of one model. Batch-aware: keep sending to the current replica until it
 * has been given a batch's worth in a row, then move to the next (Harpagon's dispatch: each batch fills at the
 * model's full rate). Round-robin: move on after every request. Either way a replica that cannot meet the
 * request's deadline given its queue ({@link Admission}) is skipped; when none can, the request is shed.
 * Thread-safe: one dispatcher per model, shared by all event loops.
 */
public final class Dispatcher {
    /** No replica can meet the deadline. */
    public static final int SHED = -1;

    private final DispatchMode mode;
    private int current;
    private int sentInRow;

    public Dispatcher(DispatchMode mode) {
        this.mode = mode;
    }

    /**
     * @param targets     serving replicas, in a stable order
     * @param inFlight    items currently sent to a replica and not yet answered
     * @param remainingMs time to the request's deadline
     * @param exclude     a replica not to use (one that just failed this request), or null
     * @return index into {@code targets}, or {@link #SHED}
     */
    public int choose(List<RouteTarget> targets, ToIntFunction<RouteTarget> inFlight, double remainingMs,
            RouteTarget exclude) {
        return choose(targets, inFlight, remainingMs, exclude, t -> Slowdown.Estimate.NONE);
    }

    /**
     * As {@link #choose(List, ToIntFunction, double, RouteTarget)}, each replica's queue taking {@code slowdown}
     * times longer than its profile says (see {@link Slowdown}).
     */
    public synchronized int choose(List<RouteTarget> targets, ToIntFunction<RouteTarget> inFlight, double remainingMs,
            RouteTarget exclude, Function<RouteTarget, Slowdown.Estimate> slowdown) {
        int n = targets.size();
        if (n == 0) {
            return SHED;
        }
        if (current >= n) {
            current = 0;
            sentInRow = 0;
        }
        boolean stay = mode == DispatchMode.BATCH_AWARE && sentInRow < targets.get(current).batch();
        int start = stay ? current : (current + 1) % n;
        for (int i = 0; i < n; i++) {
            int candidate = (start + i) % n;
            RouteTarget t = targets.get(candidate);
            if (t.equals(exclude)) {
                continue;
            }
            if (Admission.admits(inFlight.applyAsInt(t), t.batch(), t.meanBatchMs(), t.batchLatencyMs(),
                    remainingMs, slowdown.apply(t))) {
                if (candidate != current || !stay) {
                    sentInRow = 0;
                }
                current = candidate;
                sentInRow++;
                return candidate;
            }
        }
        return SHED;
    }
}
