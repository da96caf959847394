package dev.stratus.core.simulation.policy;

/**
 * Knative Pod Autoscaler knobs, defaults from Knative Serving's {@code config-autoscaler}: 60 s stable window,
 * panic window 10 % of it (6 s), panic threshold 200 %, target utilisation 70 %, decisions every 2 s, max scale-up
 * rate 1000×, max scale-down rate 2× per decision; scale-to-zero is off here ({@code minReplicas} ≥ 1).
 * {@code targetConcurrency} is requests in flight per replica (queued plus executing); 0 means "the group's batch
 * size", so that a replica at target holds one batch.
 */
public record KpaSettings(
        double targetConcurrency,
        double targetUtilisation,
        double stableWindowSeconds,
        double panicWindowPercent,
        double panicThresholdPercent,
        double tickSeconds,
        double maxScaleUpRate,
        double maxScaleDownRate,
        int minReplicas,
        int maxReplicas) {

    public KpaSettings {
        if (targetConcurrency < 0 || !(targetUtilisation > 0) || targetUtilisation > 1 || !(stableWindowSeconds > 0)
                || !(panicWindowPercent > 0) || panicWindowPercent > 100 || !(panicThresholdPercent > 100)
                || !(tickSeconds > 0) || !(maxScaleUpRate > 1) || !(maxScaleDownRate > 1) || minReplicas < 1
                || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("invalid KPA settings: " + this);
        }
    }

    public static KpaSettings defaults() {
        return new KpaSettings(0, 0.7, 60, 10, 200, 2, 1000, 2, 1, 1000);
    }

    public double panicWindowSeconds() {
        return stableWindowSeconds * panicWindowPercent / 100;
    }
}
