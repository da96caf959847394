package dev.stratus.core.model;

import java.util.List;

/**
 * How one model's load went in a worker, for cold-start profiling: wall-clock start of the load (epoch ms), the
 * durations of session creation, the first inference and the rest of the warm-up (ms), whether the optimised
 * model cache was used, and the process's resident memory before the load and after warming each batch size.
 */
public record LoadReport(
        long loadStartEpochMs,
        double sessionCreateMs,
        double firstInferenceMs,
        double warmupMs,
        boolean optimizedModelCached,
        long residentBytesBeforeLoad,
        List<BatchMemory> residentBytesAfterBatch) {

    public LoadReport {
        residentBytesAfterBatch = List.copyOf(residentBytesAfterBatch);
    }

    /** Resident memory of the process right after the warm-up runs of one batch size. */
    public record BatchMemory(int batch, long residentBytes) {
    }
}
