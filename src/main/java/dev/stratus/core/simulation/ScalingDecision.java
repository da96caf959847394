package dev.stratus.core.simulation;

/** Set group {@code group}'s replica count (ready plus starting) to {@code targetReplicas}, and why. */
public record ScalingDecision(int group, int targetReplicas, String reason) {
    public ScalingDecision {
        if (targetReplicas < 0) {
            throw new IllegalArgumentException("target replicas must be >= 0");
        }
    }
}
