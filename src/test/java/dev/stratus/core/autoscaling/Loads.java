package dev.stratus.core.autoscaling;

import java.util.Random;

/** Test load: observations at manual times, either exact (rate × interval) or Poisson counts from a seeded RNG. */
final class Loads {
    static final String MODEL = "resnet";

    private Loads() {
    }

    static LoadObservation obs(long atMillis, double intervalSeconds, long arrivals) {
        return new LoadObservation(MODEL, atMillis, intervalSeconds, arrivals, 0, 12.0, 0);
    }

    /** Exact count for a rate over an interval. */
    static long exact(double ratePerSecond, double intervalSeconds) {
        return Math.round(ratePerSecond * intervalSeconds);
    }

    /** A Poisson count with mean rate × interval: exponential gaps until the interval is used up. */
    static long poisson(Random rng, double ratePerSecond, double intervalSeconds) {
        long n = 0;
        double t = -Math.log(1 - rng.nextDouble()) / ratePerSecond;
        while (t < intervalSeconds) {
            n++;
            t += -Math.log(1 - rng.nextDouble()) / ratePerSecond;
        }
        return n;
    }

    /** Feeds {@code periods} exact periods of {@code rate}, starting one interval after {@code startMillis}. */
    static Forecast steady(LoadForecaster f, long startMillis, double rate, double intervalSeconds, int periods) {
        Forecast last = null;
        long step = Math.round(intervalSeconds * 1000);
        for (int i = 1; i <= periods; i++) {
            last = f.observe(obs(startMillis + i * step, intervalSeconds, exact(rate, intervalSeconds)));
        }
        return last;
    }
}
