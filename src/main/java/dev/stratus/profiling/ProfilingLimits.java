package dev.stratus.profiling;

import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.Shapes;

/**
 * What one profiling job submitted through the admin API may cost: the input tensors it makes the worker
 * allocate, how long it measures, and how many jobs may wait. Jobs run one at a time on the cores that serve
 * traffic, so an unbounded request would hold the machine (and the queue) for as long as it asked.
 *
 * @param maxQueuedJobs    jobs queued or running at once; more are refused with 429
 * @param maxInputElements elements of one input tensor at the largest batch measured
 * @param maxWindowMs      longest measurement window
 * @param maxWindows       most windows per batch size
 * @param maxJobSeconds    batch sizes x windows x window length may not exceed this; a job still running after
 *                         twice this long is stopped
 */
public record ProfilingLimits(int maxQueuedJobs, long maxInputElements, int maxWindowMs, int maxWindows,
        long maxJobSeconds) {
    public static final ProfilingLimits DEFAULT = new ProfilingLimits(4, 1L << 25, 60_000, 50, 1800);

    public ProfilingLimits {
        if (maxQueuedJobs < 1 || maxInputElements < 1 || maxWindowMs < 1 || maxWindows < 1 || maxJobSeconds < 1) {
            throw new IllegalArgumentException("profiling limits must be >= 1");
        }
    }

    /** Refuses (400, naming the field and the limit) a request that asks for more than these limits allow. */
    public void check(ProfileRequest request, Profiler.Prepared prepared) throws ProfilingException {
        MeasurementSettings s = request.settings();
        if (s.windowMs() > maxWindowMs) {
            throw new ProfilingException(400, "windowMs: " + s.windowMs() + " is above the limit of " + maxWindowMs
                    + " ms (stratus.profiling.max-window-ms)");
        }
        if (s.maxWindows() > maxWindows) {
            throw new ProfilingException(400, "maxWindows: " + s.maxWindows() + " is above the limit of "
                    + maxWindows + " (stratus.profiling.max-windows)");
        }
        int sizes = prepared.sweep().batches().size();
        double seconds = (double) sizes * s.maxWindows() * s.windowMs() / 1000;
        if (seconds > maxJobSeconds) {
            throw new ProfilingException(400, String.format("batches x maxWindows x windowMs: %d x %d x %d ms may "
                    + "measure for %.0f s, above the limit of %d s (stratus.profiling.max-job-seconds)", sizes,
                    s.maxWindows(), s.windowMs(), seconds, maxJobSeconds));
        }
        int largest = prepared.sweep().largest();
        for (InputSpec in : prepared.spec().inputs()) {
            long elements;
            try {
                elements = Math.multiplyExact(Shapes.elementCount(in.sampleShape()), in.batched() ? largest : 1);
            } catch (ArithmeticException e) {
                elements = Long.MAX_VALUE;
            }
            if (elements > maxInputElements) {
                throw new ProfilingException(400, "inputShapes." + in.name() + ": " + Shapes.format(in.sampleShape())
                        + " at batch " + largest + " is " + (elements == Long.MAX_VALUE ? "too many" : elements)
                        + " elements, above the limit of " + maxInputElements
                        + " (stratus.profiling.max-input-elements)");
            }
        }
    }
}
