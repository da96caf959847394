package dev.stratus.dataplane.dispatch;

/**
 * Whether a request can still meet its deadline at a replica, from the replica's queue: with {@code inFlight}
 * items already sent there and batches of {@code batch} taking {@code batchLatencyMs}, a new request finishes
 * after the batches ahead of it and its own. Conservative on purpose: refusing early (goodput) beats answering
 * late (a miss that also cost capacity).
 */
public final class Admission {
    private Admission() {
    }

    /** Estimated milliseconds until a request sent now would be answered. */
    public static double completionMs(int inFlight, int batch, double batchLatencyMs) {
        return (Math.floorDiv(Math.max(0, inFlight), batch) + 1) * batchLatencyMs;
    }

    public static boolean admits(int inFlight, int batch, double batchLatencyMs, double remainingMs) {
        return completionMs(inFlight, batch, batchLatencyMs) <= remainingMs;
    }
}
