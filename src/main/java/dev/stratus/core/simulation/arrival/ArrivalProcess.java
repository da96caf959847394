package dev.stratus.core.simulation.arrival;

import java.util.SplittableRandom;

/**
 * A request arrival process for one model: an immutable description that starts independent, seeded streams of
 * arrival times. Rates are in requests per second, times in seconds from the start of the run.
 */
public interface ArrivalProcess {

    /** A fresh stream drawing its randomness only from {@code rng}, so that a seed fixes every arrival. */
    ArrivalStream start(SplittableRandom rng);

    /**
     * The mean rate (requests/s) over {@code [0, horizonSeconds)}, used to size starting configurations and to
     * report; stationary processes return their long-run mean.
     */
    double meanRate(double horizonSeconds);

    /** The highest rate the process reaches (requests/s); a static configuration sized for it never scales. */
    double peakRate();

    /** One line for reports, e.g. {@code poisson(800/s)}. */
    String describe();

    /** Successive absolute arrival times, non-decreasing; {@link Double#POSITIVE_INFINITY} once there are none. */
    interface ArrivalStream {
        double next();
    }
}
