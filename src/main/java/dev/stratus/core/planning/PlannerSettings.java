package dev.stratus.core.planning;

/**
 * Knobs of the planner, with defaults a user should not need to change.
 *
 * @param maxUtilisation   highest planned busy fraction of a replica; the rest absorbs bursts beyond the queueing
 *                         margin (and profile drift)
 * @param budgetSteps      how finely a pipeline's end-to-end SLO is discretised when split over stages
 * @param colocation       whether small residual loads may share replicas (squishy bin packing)
 * @param packingWindow    how many open co-location groups per pool best-fit inspects (bounds planner time)
 */
public record PlannerSettings(double maxUtilisation, int budgetSteps, boolean colocation, int packingWindow) {
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
    }

    public static PlannerSettings defaults() {
        return new PlannerSettings(0.9, 20, true, 16);
    }

    public PlannerSettings withColocation(boolean enabled) {
        return new PlannerSettings(maxUtilisation, budgetSteps, enabled, packingWindow);
    }

    public PlannerSettings withMaxUtilisation(double utilisation) {
        return new PlannerSettings(utilisation, budgetSteps, colocation, packingWindow);
    }

    public PlannerSettings withBudgetSteps(int steps) {
        return new PlannerSettings(maxUtilisation, steps, colocation, packingWindow);
    }
}
