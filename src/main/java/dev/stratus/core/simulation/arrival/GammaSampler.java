package dev.stratus.core.simulation.arrival;

import java.util.SplittableRandom;

/** Gamma(shape, 1) variates by Marsaglia and Tsang (2000), with the U^(1/k) boost for shape below 1. */
final class GammaSampler {
    private GammaSampler() {
    }

    static double sample(double shape, SplittableRandom rng) {
        if (shape < 1) {
            // Gamma(k) = Gamma(k + 1) · U^(1/k): keeps the fast k >= 1 method for the very bursty CVs (k = 1/64).
            double u = rng.nextDouble();
            return sample(shape + 1, rng) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
