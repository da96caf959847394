package dev.stratus.core.simulation.arrival;

import java.util.SplittableRandom;

/**
 * A Gamma renewal process with a given coefficient of variation of the inter-arrival times, as AlpaServe
 * generates bursty load: shape k = 1/CV², scale θ = CV²/rate, so the mean gap is 1/rate and CV = 1 is Poisson.
 */
public record GammaArrivals(double rate, double cv) implements SteadyArrivals {

    public GammaArrivals {
        if (!(rate > 0) || !(cv > 0)) {
            throw new IllegalArgumentException("gamma arrivals need rate > 0 and cv > 0");
        }
    }

    @Override
    public ArrivalStream start(SplittableRandom rng) {
        double shape = 1 / (cv * cv);
        double scale = cv * cv / rate;
        return new ArrivalStream() {
            private double t;

            @Override
            public double next() {
                t += GammaSampler.sample(shape, rng) * scale;
                return t;
            }
        };
    }

    @Override
    public String describe() {
        return "gamma(" + Rates.format(rate) + "/s, cv " + cv + ")";
    }
}
