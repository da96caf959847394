package dev.stratus.loadgen;

import java.util.SplittableRandom;

/** Sinusoidally modulated Poisson process, sampled exactly by thinning (Lewis and Shedler) at the peak rate. */
final class DiurnalProcess implements ArrivalProcess {
    private final ArrivalSpec.Diurnal spec;
    private final double peak;

    DiurnalProcess(ArrivalSpec.Diurnal spec) {
        this.spec = spec;
        this.peak = spec.baseRate() * (1 + spec.amplitude());
    }

    double rate(double t) {
        return spec.baseRate() * (1 + spec.amplitude() * Math.sin(2 * Math.PI * t / spec.periodSeconds()));
    }

    @Override
    public double next(double previous, SplittableRandom rng) {
        double t = previous;
        while (true) {
            t += Variates.exponential(rng) / peak;
            if (rng.nextDouble() * peak <= rate(t)) {
                return t;
            }
        }
    }
}
