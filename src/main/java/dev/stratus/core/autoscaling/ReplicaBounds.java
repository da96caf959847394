package dev.stratus.core.autoscaling;

/**
 * Configured replica limits of a model (or group). {@code min} may be 0 (scale to zero); {@code max} is at least 1
 * and at least {@code min}. Standby replicas count against {@code max}: it is the most processes the model may hold.
 */
public record ReplicaBounds(int min, int max) {

    public ReplicaBounds {
        if (min < 0 || max < 1 || min > max) {
            throw new IllegalArgumentException("need 0 <= min <= max and max >= 1: [" + min + ", " + max + "]");
        }
    }

    public boolean contains(int replicas) {
        return replicas >= min && replicas <= max;
    }

    @Override
    public String toString() {
        return "[" + min + ", " + max + "]";
    }
}
