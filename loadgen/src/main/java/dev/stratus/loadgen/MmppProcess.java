package dev.stratus.loadgen;

import java.util.SplittableRandom;

/**
 * Two-state Markov-modulated Poisson process. Both the arrivals and the state changes are memoryless, so the
 * next event is simply the earlier of the two exponential clocks; the first state is drawn from the stationary
 * distribution so that the process is stationary from t = 0.
 */
final class MmppProcess implements ArrivalProcess {
    private final double[] rates;
    private final double[] dwell;
    private int state = -1;
    private double switchAt;

    MmppProcess(ArrivalSpec.Mmpp spec) {
        rates = new double[] {spec.rates().get(0), spec.rates().get(1)};
        dwell = new double[] {spec.meanDwellSeconds().get(0), spec.meanDwellSeconds().get(1)};
    }

    @Override
    public double next(double previous, SplittableRandom rng) {
        if (state < 0) {
            state = rng.nextDouble() < dwell[0] / (dwell[0] + dwell[1]) ? 0 : 1;
            switchAt = previous + dwell[state] * Variates.exponential(rng);
        }
        double t = previous;
        while (true) {
            double candidate = rates[state] > 0 ? t + Variates.exponential(rng) / rates[state] : Double.POSITIVE_INFINITY;
            if (candidate < switchAt) {
                return candidate;
            }
            t = switchAt;
            state ^= 1;
            switchAt = t + dwell[state] * Variates.exponential(rng);
        }
    }
}
