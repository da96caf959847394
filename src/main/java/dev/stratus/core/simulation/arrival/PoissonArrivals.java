package dev.stratus.core.simulation.arrival;

import java.util.SplittableRandom;

/** Poisson arrivals at a constant rate: exponential inter-arrival times with mean 1/rate (CV 1). */
public record PoissonArrivals(double rate) implements SteadyArrivals {

    public PoissonArrivals {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("poisson arrivals need rate > 0, got " + rate);
        }
    }

    @Override
    public ArrivalStream start(SplittableRandom rng) {
        return new ArrivalStream() {
            private double t;

            @Override
            public double next() {
                t += rng.nextExponential() / rate;
                return t;
            }
        };
    }

    @Override
    public String describe() {
        return "poisson(" + Rates.format(rate) + "/s)";
    }
}
