package dev.stratus.core.batching;

/**
 * How long a batch takes to execute, as the batch rule estimates it: the worker's running estimate of the measured
 * times, or in the simulator the profile's mean (what that running estimate converges to).
 */
@FunctionalInterface
public interface BatchLatency {
    /**
     * Estimated execution time of a batch of {@code batchSize} items whose items each cost {@code costScale} times
     * an item of the reference shape, in nanoseconds (0 when nothing is known: no request is refused on a guess).
     */
    long estimateNanos(int batchSize, double costScale);
}
