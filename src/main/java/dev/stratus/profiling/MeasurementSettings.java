package dev.stratus.profiling;

import dev.stratus.core.profiling.StabilityRule;

/**
 * How long latency is measured per batch size: windows of at least {@code windowMs} and {@code minIterations}
 * calls each, until {@code rule} says the last windows agree, or {@code maxWindows} windows were taken.
 */
public record MeasurementSettings(int windowMs, int minIterations, int maxWindows, StabilityRule rule) {
    public static final MeasurementSettings DEFAULT = new MeasurementSettings(1000, 10, 12, StabilityRule.DEFAULT);

    public MeasurementSettings {
        if (windowMs < 1 || minIterations < 1) {
            throw new IllegalArgumentException("window must be >= 1 ms and >= 1 call");
        }
        if (maxWindows < rule.windows()) {
            throw new IllegalArgumentException("max windows (" + maxWindows + ") below the " + rule.windows()
                    + " windows stability needs");
        }
    }
}
