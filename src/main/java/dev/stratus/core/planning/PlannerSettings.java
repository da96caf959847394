package dev.stratus.core.planning;

import java.util.Map;

/**
 * Knobs of the planner, with defaults a user should not need to change.
 *
 * @param maxUtilisation   highest planned busy fraction of a replica; the rest absorbs bursts beyond the queueing
 *                         margin (and profile drift)
 * @param budgetSteps      how finely a pipeline's end-to-end SLO is discretised when split over stages
 * @param colocation       whether small residual loads may share replicas (squishy bin packing)
 * @param packingWindow    how many open co-location groups per pool best-fit inspects (bounds planner time)
 * @param latencyFactors   corrections of the profiles from the served system's latency, {@code model@pool} → factor
 *                         on every latency of that model on that pool (on top of the pool's latency scale; 1 when
 *                         absent). Set by the control loop's latency feedback
 *                         ({@code core.autoscaling.LatencyFeedback}).
 */
public record PlannerSettings(double maxUtilisation, int budgetSteps, boolean colocation, int packingWindow,
        Map<String, Double> latencyFactors) {
    public PlannerSettings {
        if (!(maxUtilisation > 0 && maxUtilisation <= 1)) {
            throw new IllegalArgumentException("maxUtilisation must be in (0, 1], got " + maxUtilisation);
        }
        if (budgetSteps < 2) {
            throw new IllegalArgumentException("budgetSteps must be >= 2, got " + budgetSteps);
        }
        if (packingWindow < 1) {
            throw new IllegalArgumentException("packingWindow must be >= 1, got " + packingWindow);
        }
        latencyFactors = latencyFactors == null ? Map.of() : Map.copyOf(latencyFactors);
        latencyFactors.forEach((k, v) -> {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("latency factor of " + k + " must be > 0, got " + v);
            }
        });
    }

    public PlannerSettings(double maxUtilisation, int budgetSteps, boolean colocation, int packingWindow) {
        this(maxUtilisation, budgetSteps, colocation, packingWindow, Map.of());
    }

    public static PlannerSettings defaults() {
        return new PlannerSettings(0.9, 20, true, 16);
    }

    public PlannerSettings withColocation(boolean enabled) {
        return new PlannerSettings(maxUtilisation, budgetSteps, enabled, packingWindow, latencyFactors);
    }

    public PlannerSettings withMaxUtilisation(double utilisation) {
        return new PlannerSettings(utilisation, budgetSteps, colocation, packingWindow, latencyFactors);
    }

    public PlannerSettings withBudgetSteps(int steps) {
        return new PlannerSettings(maxUtilisation, steps, colocation, packingWindow, latencyFactors);
    }

    public PlannerSettings withLatencyFactors(Map<String, Double> factors) {
        return new PlannerSettings(maxUtilisation, budgetSteps, colocation, packingWindow, factors);
    }

    /** The correction for a model on a pool (1 when none). */
    public double latencyFactor(String model, String pool) {
        return latencyFactors.getOrDefault(model + "@" + pool, 1.0);
    }
}
