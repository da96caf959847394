package dev.stratus.dataplane.dispatch;

/**
 * Whether a request can still meet its deadline at a replica, from the replica's queue: with {@code inFlight}
 * items already sent there, a new request finishes after the full batches ahead of it (each taking the mean
 * batch time: over several batches the spread averages out) and its own batch, counted conservatively (a high
 * percentile). Refusing early what would be late (goodput) beats answering late, a miss that also cost capacity.
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
        return completionMs(inFlight, batch, meanBatchMs, conservativeBatchMs) <= remainingMs;
    }
}
