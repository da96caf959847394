package dev.stratus.core.profiling;

import java.util.List;

/**
 * When a latency measurement may stop: the last {@code windows} measurement windows agree, their means and
 * their medians each within {@code tolerance} (relative spread (max − min) / min), as perf_analyzer does
 * with three windows and 10 %. A measurement that never settles stops at a cap and is recorded as unstable.
 */
public record StabilityRule(int windows, double tolerance) {
    public static final StabilityRule DEFAULT = new StabilityRule(3, 0.10);

    public StabilityRule {
        if (windows < 2) {
            throw new IllegalArgumentException("stability needs at least 2 windows, got " + windows);
        }
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
        }
    }

    /** Summary of one measurement window, in milliseconds. */
    public record Window(double meanMs, double p50Ms) {
    }

    /** Whether the last {@link #windows()} windows agree. */
    public boolean stable(List<Window> measured) {
        if (measured.size() < windows) {
            return false;
        }
        List<Window> last = measured.subList(measured.size() - windows, measured.size());
        return spread(last.stream().mapToDouble(Window::meanMs).toArray()) <= tolerance
                && spread(last.stream().mapToDouble(Window::p50Ms).toArray()) <= tolerance;
    }

    static double spread(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return min <= 0 ? Double.POSITIVE_INFINITY : (max - min) / min;
    }
}
