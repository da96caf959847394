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
    /** Standard deviations of the observed batch time that the queue ahead is given room for. */
    static final double OBSERVED_DEVIATIONS = 3;

    private Admission() {
    }

    /** Estimated milliseconds until a request sent now would be answered. */
    public static double completionMs(int inFlight, int batch, double meanBatchMs, double conservativeBatchMs) {
        return Math.floorDiv(Math.max(0, inFlight), batch) * meanBatchMs + conservativeBatchMs;
    }

    public static boolean admits(int inFlight, int batch, double meanBatchMs, double conservativeBatchMs,
            double remainingMs) {
        return admits(inFlight, batch, meanBatchMs, conservativeBatchMs, remainingMs, Slowdown.Estimate.NONE);
    }

    /**
     * As {@link #admits(int, int, double, double, double)}, with the full batches ahead taking as much longer than
     * the profile says as the replica's answers lately have, and spreading as much as they lately have (see
     * {@link Slowdown}). Its own batch is not scaled, so that a replica with nothing queued always takes a request
     * whose deadline its profile can meet: the answer then shows whether it is still slow.
     */
    public static boolean admits(int inFlight, int batch, double meanBatchMs, double conservativeBatchMs,
            double remainingMs, Slowdown.Estimate slowdown) {
        return boundMs(inFlight, batch, meanBatchMs, conservativeBatchMs, slowdown) <= remainingMs;
    }

    /**
     * A high percentile of the time until a request sent now would be answered: n full batches ahead take
     * n·mean·factor, plus √n times the larger of the profile's spread of one batch (conservative − mean, scaled by
     * the factor) and three observed standard deviations of it (3·mean·spread: the factor itself lags a machine
     * whose load changes, and an overload keeps the queue at this bound); then its own batch (conservative).
     */
    public static double boundMs(int inFlight, int batch, double meanBatchMs, double conservativeBatchMs,
            Slowdown.Estimate slowdown) {
        int ahead = Math.floorDiv(Math.max(0, inFlight), batch);
        double spreadOfOne = Math.max((conservativeBatchMs - meanBatchMs) * slowdown.factor(),
                OBSERVED_DEVIATIONS * meanBatchMs * slowdown.spread());
        return ahead * meanBatchMs * slowdown.factor() + Math.sqrt(ahead) * spreadOfOne + conservativeBatchMs;
    }
}
