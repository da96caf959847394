package dev.stratus.core.simulation.policy;

/**
 * Kubernetes Horizontal Pod Autoscaler knobs, defaults as in Kubernetes (autoscaling/v2): 15 s sync period,
 * ±10 % tolerance, 300 s scale-down stabilisation window, no scale-up stabilisation, scale-up limited per period to
 * the larger of +100 % and +4 pods. The target is the replicas' busy fraction (the analogue of CPU utilisation).
 */
public record HpaSettings(
        double targetUtilisation,
        double tolerance,
        double syncPeriodSeconds,
        double scaleDownStabilisationSeconds,
        double scaleUpPercent,
        int scaleUpPods,
        int minReplicas,
        int maxReplicas) {

    public HpaSettings {
        if (!(targetUtilisation > 0) || targetUtilisation > 1 || tolerance < 0 || !(syncPeriodSeconds > 0)
                || scaleDownStabilisationSeconds < 0 || !(scaleUpPercent > 0) || scaleUpPods < 1
                || minReplicas < 1 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("invalid HPA settings: " + this);
        }
    }

    public static HpaSettings defaults() {
        return new HpaSettings(0.7, 0.1, 15, 300, 100, 4, 1, 1000);
    }
}
