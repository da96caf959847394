package dev.stratus.loadgen;

import java.util.SplittableRandom;

/**
 * Poisson process with a piecewise-constant rate (steps, spikes, per-minute trace replay). Sampled exactly by
 * inverting the cumulative rate: draw Exp(1) and walk the segments until that much rate has accumulated, so a
 * zero-rate segment simply produces no arrivals.
 */
final class PiecewiseRateProcess implements ArrivalProcess {
    private final double[] starts;
    private final double[] rates;

    PiecewiseRateProcess(double[] starts, double[] rates) {
        this.starts = starts;
        this.rates = rates;
    }

    static PiecewiseRateProcess of(ArrivalSpec.Step step) {
        int n = step.phases().size();
        double[] starts = new double[n];
        double[] rates = new double[n];
        for (int i = 0; i < n; i++) {
            starts[i] = step.phases().get(i).atSeconds();
            rates[i] = step.phases().get(i).rate();
        }
        return new PiecewiseRateProcess(starts, rates);
    }

    /** One segment per replayed trace minute, scaled so that the replayed window's mean rate is meanRate. */
    static PiecewiseRateProcess of(ArrivalSpec.Trace spec, double durationSeconds) {
        long[] counts = spec.trace().perMinute();
        int n = (int) Math.max(1, Math.ceil(durationSeconds / spec.secondsPerMinute()));
        double[] starts = new double[n];
        double[] rates = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            starts[i] = i * spec.secondsPerMinute();
            rates[i] = counts[(spec.startMinute() + i) % counts.length];
            sum += rates[i];
        }
        if (sum == 0) {
            throw new IllegalArgumentException(spec.trace().source() + " has no invocations in the "
                    + n + " minutes replayed from minute " + spec.startMinute());
        }
        // Weight by the replayed length: the last segment may be cut short by the end of the run.
        double covered = 0;
        for (int i = 0; i < n; i++) {
            covered += rates[i] * Math.min(spec.secondsPerMinute(), durationSeconds - starts[i]);
        }
        double factor = spec.meanRate() * durationSeconds / covered;
        for (int i = 0; i < n; i++) {
            rates[i] *= factor;
        }
        return new PiecewiseRateProcess(starts, rates);
    }

    @Override
    public double next(double previous, SplittableRandom rng) {
        double need = Variates.exponential(rng);
        double t = previous;
        int i = segment(t);
        while (true) {
            double end = i + 1 < starts.length ? starts[i + 1] : Double.POSITIVE_INFINITY;
            if (rates[i] > 0) {
                double dt = need / rates[i];
                if (t + dt < end) {
                    return t + dt;
                }
                need -= (end - t) * rates[i];
            }
            if (end == Double.POSITIVE_INFINITY) {
                return end;
            }
            t = end;
            i++;
        }
    }

    private int segment(double t) {
        int i = java.util.Arrays.binarySearch(starts, t);
        return i >= 0 ? i : Math.max(0, -i - 2);
    }
}
