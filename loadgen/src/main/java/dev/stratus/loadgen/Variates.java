package dev.stratus.loadgen;

import java.util.SplittableRandom;

/** Random variates the arrival processes need (the JDK has no gamma sampler). */
final class Variates {
    private Variates() {
    }

    /** Exp(1). */
    static double exponential(SplittableRandom rng) {
        return -Math.log(1 - rng.nextDouble());
    }

    static double normal(SplittableRandom rng) {
        // Box-Muller; one of the pair is enough here.
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (2000), with the usual boost for shape < 1. */
    static double gamma(SplittableRandom rng, double shape) {
        if (shape < 1) {
            double u = 1 - rng.nextDouble();
            return gamma(rng, shape + 1) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = normal(rng);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1 - rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
