package dev.stratus.core.simulation.arrival;

import java.util.SplittableRandom;

/**
 * Deterministic arrivals every 1/rate seconds, the first at {@code offsetSeconds}: the process behind the
 * closed-form validation cases (batch collection times are then exact multiples of 1/rate).
 */
public record ConstantArrivals(double rate, double offsetSeconds) implements SteadyArrivals {

    public ConstantArrivals {
        if (!(rate > 0) || offsetSeconds < 0) {
            throw new IllegalArgumentException("constant arrivals need rate > 0 and offset >= 0");
        }
    }

    @Override
    public ArrivalStream start(SplittableRandom rng) {
        return new ArrivalStream() {
            private long index;

            @Override
            public double next() {
                // From the index, not by accumulation, so that times carry no rounding drift.
                return offsetSeconds + (index++) / rate;
            }
        };
    }

    @Override
    public String describe() {
        return "constant(" + Rates.format(rate) + "/s)";
    }
}
