package dev.stratus.core.simulation.arrival;

import java.util.SplittableRandom;

/**
 * A two-state Markov-modulated Poisson process (bursty load): Poisson at {@code lowRate} while in the low state
 * and at {@code highRate} in the high state, with exponentially distributed dwell times of the given means. The
 * run starts in the low state. Mean rate = (low·dwellLow + high·dwellHigh) / (dwellLow + dwellHigh).
 */
public record MmppArrivals(double lowRate, double highRate, double meanLowSeconds, double meanHighSeconds)
        implements ArrivalProcess {

    public MmppArrivals {
        if (lowRate < 0 || highRate < 0 || !(lowRate + highRate > 0)) {
            throw new IllegalArgumentException("mmpp rates must be >= 0 and not both 0");
        }
        if (!(meanLowSeconds > 0) || !(meanHighSeconds > 0)) {
            throw new IllegalArgumentException("mmpp dwell times must be > 0");
        }
    }

    @Override
    public ArrivalStream start(SplittableRandom rng) {
        return new ArrivalStream() {
            private double t;
            private boolean high;
            private double switchAt = rng.nextExponential() * meanLowSeconds;

            @Override
            public double next() {
                while (true) {
                    double rate = high ? highRate : lowRate;
                    double candidate = rate > 0 ? t + rng.nextExponential() / rate : Double.POSITIVE_INFINITY;
                    if (candidate <= switchAt) {
                        t = candidate;
                        return t;
                    }
                    // Memoryless: restarting the exponential clock at the switch is exact.
                    t = switchAt;
                    high = !high;
                    switchAt = t + rng.nextExponential() * (high ? meanHighSeconds : meanLowSeconds);
                }
            }
        };
    }

    @Override
    public double meanRate(double horizonSeconds) {
        return (lowRate * meanLowSeconds + highRate * meanHighSeconds) / (meanLowSeconds + meanHighSeconds);
    }

    @Override
    public double peakRate() {
        return Math.max(lowRate, highRate);
    }

    @Override
    public String describe() {
        return "mmpp(" + Rates.format(lowRate) + "/s for ~" + meanLowSeconds + " s, " + Rates.format(highRate)
                + "/s for ~" + meanHighSeconds + " s)";
    }
}
