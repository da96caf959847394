package dev.stratus.core.autoscaling;

/**
 * Constants of {@link LoadForecaster}. Defaults: long half-life 30 s, short half-life 3 s, burst when the short rate
 * is at least 1.5x the long EWMA and 3 standard deviations of Poisson noise above it, 10 % headroom, 60 s
 * scale-down stabilisation window.
 *
 * @param longHalfLifeSeconds       half-life of the EWMA the plan follows in steady state
 * @param shortHalfLifeSeconds      half-life of the fast EWMA used only to detect bursts (cf. Knative's 6 s panic
 *                                  window against its 60 s stable window)
 * @param burstFactor               the short rate must reach this multiple of the long rate (Knative panics at 2x
 *                                  ready capacity; 1.5x of demand is our own, earlier trigger)
 * @param noiseSigmas               and exceed it by this many standard deviations of the short EWMA under Poisson
 *                                  arrivals at the long rate, so a lucky period at low rate is not a burst
 * @param headroom                  provision this multiple of the forecast rate
 * @param stabilisationWindowMillis the planned rate never falls below the largest recommendation within this
 *                                  window (Kubernetes HPA scale-down stabilisation; HPA's default is 300 s)
 */
public record ForecastSettings(
        double longHalfLifeSeconds,
        double shortHalfLifeSeconds,
        double burstFactor,
        double noiseSigmas,
        double headroom,
        long stabilisationWindowMillis) {

    public static final ForecastSettings DEFAULT = new ForecastSettings(30, 3, 1.5, 3, 1.1, 60_000);

    public ForecastSettings {
        if (!(longHalfLifeSeconds > 0) || !(shortHalfLifeSeconds > 0)) {
            throw new IllegalArgumentException("half-lives must be > 0");
        }
        if (shortHalfLifeSeconds > longHalfLifeSeconds) {
            throw new IllegalArgumentException("the short half-life must not exceed the long one");
        }
        if (!(burstFactor >= 1) || !(noiseSigmas >= 0) || !(headroom >= 1)) {
            throw new IllegalArgumentException("burstFactor and headroom must be >= 1, noiseSigmas >= 0");
        }
        if (stabilisationWindowMillis < 0) {
            throw new IllegalArgumentException("stabilisationWindowMillis must be >= 0");
        }
    }

    /**
     * Per-period EWMA weight for a half-life: after {@code halfLife} seconds of periods an old value's weight has
     * halved, whatever the period, so alpha = 1 − 2^(−interval / halfLife).
     */
    public static double alpha(double halfLifeSeconds, double intervalSeconds) {
        return 1 - Math.pow(2, -intervalSeconds / halfLifeSeconds);
    }
}
