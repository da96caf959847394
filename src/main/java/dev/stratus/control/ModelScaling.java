package dev.stratus.control;

/**
 * Scaling bounds of one model: serving replicas between {@code minReplicas} and {@code maxReplicas} (per
 * group), and at least {@code warmPool} pre-warmed standbys kept beside them.
 */
public record ModelScaling(int minReplicas, int maxReplicas, int warmPool) {
    public static final ModelScaling DEFAULT = new ModelScaling(1, 4, 1);

    public ModelScaling {
        if (minReplicas < 0 || maxReplicas < Math.max(1, minReplicas) || warmPool < 0) {
            throw new IllegalArgumentException("scaling: need 0 <= minReplicas <= maxReplicas, maxReplicas >= 1 and "
                    + "warmPool >= 0; got min " + minReplicas + ", max " + maxReplicas + ", warm " + warmPool);
        }
    }
}
