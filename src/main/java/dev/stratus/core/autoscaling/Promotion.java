package dev.stratus.core.autoscaling;

/**
 * How a scale-up of {@code needed} serving replicas is met: ready standby replicas are promoted at once (they are
 * already warm), the rest start cold. Afterwards the pool is refilled toward its target; refills are ordinary
 * standby starts and take a cold start each, which is why the pool is sized ahead of need.
 *
 * @param fromStandby standby replicas promoted to serving now
 * @param coldStarts  replicas started cold, serving after their cold start
 * @param standbyLeft ready standby replicas remaining after the promotion
 */
public record Promotion(int fromStandby, int coldStarts, int standbyLeft) {

    public Promotion {
        if (fromStandby < 0 || coldStarts < 0 || standbyLeft < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    public static Promotion plan(int needed, int standbyReady) {
        if (needed < 0 || standbyReady < 0) {
            throw new IllegalArgumentException("needed and standbyReady must be >= 0");
        }
        int promoted = Math.min(needed, standbyReady);
        return new Promotion(promoted, needed - promoted, standbyReady - promoted);
    }

    /**
     * Standby replicas to start after this promotion so the pool returns to {@code standbyTarget}, not counting
     * the ones already starting.
     */
    public int refill(int standbyTarget, int standbyStarting) {
        if (standbyTarget < 0 || standbyStarting < 0) {
            throw new IllegalArgumentException("standbyTarget and standbyStarting must be >= 0");
        }
        return Math.max(0, standbyTarget - standbyLeft - standbyStarting);
    }

    public boolean fullyWarm() {
        return coldStarts == 0;
    }
}
