package dev.stratus.core.autoscaling;

/**
 * How a scale-down of {@code excess} serving replicas ends: all are drained first (no new traffic, in-flight work
 * finishes), then as many as the warm pool is short of its target stay as standby and the rest stop. Keeping an
 * already-warm replica is free compared with refilling the pool by a cold start later. Our own rule.
 *
 * @param toStandby drained replicas kept as standby
 * @param toStop    drained replicas stopped
 */
public record Demotion(int toStandby, int toStop) {

    public Demotion {
        if (toStandby < 0 || toStop < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    public static Demotion plan(int excess, int standbyReady, int standbyTarget) {
        if (excess < 0 || standbyReady < 0 || standbyTarget < 0) {
            throw new IllegalArgumentException("excess, standbyReady and standbyTarget must be >= 0");
        }
        int keep = Math.min(excess, Math.max(0, standbyTarget - standbyReady));
        return new Demotion(keep, excess - keep);
    }
}
