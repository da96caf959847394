package dev.stratus.core.model.profile;

/**
 * How long a new replica takes to become useful, split into phases (milliseconds, each measured from the end of
 * the previous one): OS process start until its HTTP port answers, model session creation, the first inference,
 * and the rest of the warm-up (every batch size). {@code optimizedModelCached} says whether ONNX Runtime's
 * optimised-model file from an earlier load was reused.
 */
public record ColdStart(
        double processStartMs,
        double sessionCreateMs,
        double firstInferenceMs,
        double warmupMs,
        boolean optimizedModelCached) {

    public ColdStart {
        if (processStartMs < 0 || sessionCreateMs < 0 || firstInferenceMs < 0 || warmupMs < 0) {
            throw new IllegalArgumentException("cold-start phases must be >= 0");
        }
    }

    /** Process start until READY. */
    public double totalMs() {
        return processStartMs + sessionCreateMs + firstInferenceMs + warmupMs;
    }
}
