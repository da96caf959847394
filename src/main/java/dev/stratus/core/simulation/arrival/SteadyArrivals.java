package dev.stratus.core.simulation.arrival;

/** An arrival process whose rate does not change over time: its mean and its peak are that rate. */
public interface SteadyArrivals extends ArrivalProcess {

    /** Requests per second. */
    double rate();

    @Override
    default double meanRate(double horizonSeconds) {
        return rate();
    }

    @Override
    default double peakRate() {
        return rate();
    }
}
