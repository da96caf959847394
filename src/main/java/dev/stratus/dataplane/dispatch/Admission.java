package dev.stratus.dataplane.dispatch;

/**
 * Whether a request can still meet its deadline at a replica, from the replica's queue: with {@code inFlight}
 * items already sent there, a new request finishes after the full batches ahead of it and its own batch, counted
 * conservatively (a high percentile). Refusing early what would be late (goodput) beats answering late, a miss
 * that also cost capacity.
 *
 * <p>The {@code n} full batches ahead take n times the mean batch time on average; admission adds √n times the
 * spread of one batch (conservative − mean), a high percentile of their sum. Under overload the queue is kept as
 * long as admission allows, so the bound is what every admitted request meets: with the mean alone, about half of
 * them would finish after their deadline.
 */
public final class Admission {
    private Admission() {
    }

    /** Estimated milliseconds until a request sent now would be answered. */
    public static double completionMs(int inFlight, int batch, double meanBatchMs, double conservativeBatchMs) {
        return Math.floorDiv(Math.max(0, inFlight), batch) * meanBatchMs + conservativeBatchMs;
    }

    public static boolean admits(int inFlight, int batch, double meanBatchMs, double conservativeBatchMs,
            double remainingMs) {
        return admits(inFlight, batch, meanBatchMs, conservativeBatchMs, remainingMs, 1);
    }

    /**
     * As {@link #admits(int, int, double, double, double)}, with the wait for the full batches ahead taking
     * {@code slowdown} times longer than the profile says (see {@link Slowdown}). Its own batch is not scaled, so
     * that a replica with nothing queued always takes a request whose deadline its profile can meet: the answer
     * then shows whether it is still slow.
     */
    public static boolean admits(int inFlight, int batch, double meanBatchMs, double conservativeBatchMs,
            double remainingMs, double slowdown) {
        return boundMs(inFlight, batch, meanBatchMs, conservativeBatchMs, slowdown) <= remainingMs;
    }

    /**
     * A high percentile of the time until a request sent now would be answered: the full batches ahead (n of them,
     * n·mean + √n·(conservative − mean), all {@code slowdown} times longer) and its own batch (conservative).
     */
    public static double boundMs(int inFlight, int batch, double meanBatchMs, double conservativeBatchMs,
            double slowdown) {
        int ahead = Math.floorDiv(Math.max(0, inFlight), batch);
        double queue = ahead * meanBatchMs + Math.sqrt(ahead) * (conservativeBatchMs - meanBatchMs);
        return queue * slowdown + conservativeBatchMs;
    }
}
