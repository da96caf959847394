package dev.stratus.core.model.profile;

import java.util.List;

/**
 * A fitted latency model l(b) in milliseconds. {@code kind} names the form: {@code linear} is
 * α·b + β with coefficients [β, α]; {@code quadratic} is β + α·b + γ·b² with coefficients [β, α, γ].
 * The errors are relative, against the measured means: the largest and the mean absolute one.
 */
public record LatencyFit(String kind, List<Double> coefficients, double maxRelativeError, double meanRelativeError) {
    public static final String LINEAR = "linear";
    public static final String QUADRATIC = "quadratic";

    public LatencyFit {
        coefficients = List.copyOf(coefficients);
        int expected = switch (kind) {
            case LINEAR -> 2;
            case QUADRATIC -> 3;
            default -> throw new IllegalArgumentException("unknown latency fit kind '" + kind + "'");
        };
        if (coefficients.size() != expected) {
            throw new IllegalArgumentException(kind + " fit needs " + expected + " coefficients, got " + coefficients.size());
        }
    }

    public double latencyMs(double batch) {
        double value = 0;
        double power = 1;
        for (double c : coefficients) {
            value += c * power;
            power *= batch;
        }
        return value;
    }
}
