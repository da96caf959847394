package dev.stratus.loadgen;

import java.util.SplittableRandom;

/**
 * A point process in run time (seconds). Instances may keep state (MMPP's current state), so each arrival stream
 * gets its own instance and its own random generator; that makes a schedule a pure function of the seed.
 */
public interface ArrivalProcess {

    /** The time of the next arrival after the one at {@code previous} (0 for the first), or +infinity if none. */
    double next(double previous, SplittableRandom rng);

    /** @param durationSeconds the run length; trace replay rescales over the window actually replayed */
    static ArrivalProcess of(ArrivalSpec spec, double durationSeconds) {
        return switch (spec) {
            case ArrivalSpec.Poisson p -> (prev, rng) -> prev + Variates.exponential(rng) / p.rate();
            case ArrivalSpec.Gamma g -> {
                double shape = 1 / (g.cv() * g.cv());
                double scale = 1 / (g.rate() * shape);
                yield (prev, rng) -> prev + Variates.gamma(rng, shape) * scale;
            }
            case ArrivalSpec.Mmpp m -> new MmppProcess(m);
            case ArrivalSpec.Diurnal d -> new DiurnalProcess(d);
            case ArrivalSpec.Step s -> PiecewiseRateProcess.of(s);
            case ArrivalSpec.Trace t -> PiecewiseRateProcess.of(t, durationSeconds);
        };
    }
}
