package dev.stratus.core.model.plan;

/**
 * A latency objective: {@code percentile} of requests (e.g. 99) finish within {@code latencyMs}, measured at the
 * client (network included); {@code targetAttainment} is the fraction of time windows that must meet it.
 */
public record Slo(double latencyMs, double percentile, double targetAttainment) {
    public static final double DEFAULT_PERCENTILE = 99;
    public static final double DEFAULT_ATTAINMENT = 0.99;

    public Slo {
        Checks.positive("latencyMs", latencyMs);
        if (!(percentile > 0 && percentile < 100)) {
            throw new IllegalArgumentException("percentile: must be in (0, 100), got " + percentile);
        }
        if (!(targetAttainment > 0 && targetAttainment <= 1)) {
            throw new IllegalArgumentException("targetAttainment: must be in (0, 1], got " + targetAttainment);
        }
    }

    public static Slo of(double latencyMs) {
        return new Slo(latencyMs, DEFAULT_PERCENTILE, DEFAULT_ATTAINMENT);
    }

    /** The percentile as a quantile in (0, 1). */
    public double quantile() {
        return percentile / 100;
    }
}
