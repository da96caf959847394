package dev.stratus.core.simulation.arrival;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Replay of a per-minute invocation count series (the Azure Functions 2019 trace format), as Clockwork replays
 * it: within minute i arrivals are Poisson at counts[i]·scale/60 per second. {@code scale} maps the trace's volume
 * onto the simulated model (e.g. to hit a target mean rate); the series repeats once exhausted.
 */
public record TraceReplayArrivals(String source, double[] countsPerMinute, double scale) implements ArrivalProcess {

    public TraceReplayArrivals {
        countsPerMinute = countsPerMinute.clone();
        if (countsPerMinute.length == 0 || Arrays.stream(countsPerMinute).anyMatch(c -> c < 0)
                || Arrays.stream(countsPerMinute).sum() <= 0) {
            throw new IllegalArgumentException("trace " + source + " needs non-negative per-minute counts, not all 0");
        }
        if (!(scale > 0)) {
            throw new IllegalArgumentException("trace scale must be > 0");
        }
    }

    /** The scale that gives {@code targetMeanRate} requests/s on average over the whole series. */
    public static double scaleFor(double[] countsPerMinute, double targetMeanRate) {
        double mean = Arrays.stream(countsPerMinute).sum() / (countsPerMinute.length * 60.0);
        return targetMeanRate / mean;
    }

    @Override
    public double[] countsPerMinute() {
        return countsPerMinute.clone();
    }

    private PiecewiseArrivals schedule() {
        double[] rates = new double[countsPerMinute.length];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = countsPerMinute[i] * scale / 60;
        }
        return PiecewiseArrivals.ofWindows(rates, 60, true);
    }

    @Override
    public ArrivalStream start(SplittableRandom rng) {
        return schedule().start(rng);
    }

    @Override
    public double meanRate(double horizonSeconds) {
        return schedule().meanRate(horizonSeconds);
    }

    @Override
    public double peakRate() {
        return Arrays.stream(countsPerMinute).max().orElseThrow() * scale / 60;
    }

    @Override
    public String describe() {
        return "replay(" + source + ", " + countsPerMinute.length + " min, x" + Rates.format(scale) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceReplayArrivals t && t.source.equals(source) && t.scale == scale
                && Arrays.equals(t.countsPerMinute, countsPerMinute);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * source.hashCode() + Arrays.hashCode(countsPerMinute)) + Double.hashCode(scale);
    }

    @Override
    public String toString() {
        return describe();
    }
}
