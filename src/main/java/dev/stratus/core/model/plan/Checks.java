package dev.stratus.core.model.plan;

/**
 * Field checks shared by the plan records. Messages start with the field name ({@code "latencyMs: must be > 0"})
 * so that a request reader can prefix the path of the enclosing object.
 */
final class Checks {
    private Checks() {
    }

    static String name(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": must be set");
        }
        return value.trim();
    }

    static double positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + ": must be > 0, got " + value);
        }
        return value;
    }

    static double nonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + ": must be >= 0, got " + value);
        }
        return value;
    }

    static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + ": must be >= " + min + ", got " + value);
        }
        return value;
    }

    static <T> T present(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": must be set");
        }
        return value;
    }
}
