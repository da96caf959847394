package dev.stratus.core.autoscaling;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Demand forecast for one model, updated once per control period. State: two EWMAs of the demand rate (long and
 * short half-life), a smoothed trend, and the recommendations of the last stabilisation window. Not thread-safe:
 * one instance per model, confined to the control loop.
 *
 * <p>Per observation with demand rate x (admitted + shed, per second) over an interval of dt seconds:
 * <ol>
 *   <li>baseline = the long EWMA before this observation; both EWMAs then move toward x with per-period weights
 *       derived from their half-lives and dt ({@link ForecastSettings#alpha}).</li>
 *   <li>burst = short ≥ burstFactor × baseline and short − baseline &gt; k·σ, where σ is the standard deviation of
 *       the short EWMA if arrivals were Poisson at the baseline rate: sqrt(a/(2−a)) · sqrt(max(baseline·dt, 1)) / dt
 *       (a = short weight; a/(2−a) is an EWMA's variance ratio to one sample; at least one arrival's worth of noise,
 *       so an idle model does not burst on its first request).</li>
 *   <li>recommendation = max(long, short if burst) × headroom; planned = the largest recommendation whose time is
 *       within the stabilisation window. Scale-up follows the newest recommendation at once; scale-down waits until
 *       every higher recommendation has aged out of the window.</li>
 * </ol>
 * The first observation initialises both EWMAs to its rate and is never a burst (there is no baseline yet).
 */
public final class LoadForecaster {
    private final String model;
    private final ForecastSettings settings;
    /** Recommendations within the stabilisation window, oldest first. */
    private final Deque<Recommendation> window = new ArrayDeque<>();
    private boolean initialised;
    private long lastAtMillis;
    private double longRate;
    private double shortRate;
    private double trend;

    public LoadForecaster(String model, ForecastSettings settings) {
        this.model = Objects.requireNonNull(model, "model");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public LoadForecaster(String model) {
        this(model, ForecastSettings.DEFAULT);
    }

    public String model() {
        return model;
    }

    public ForecastSettings settings() {
        return settings;
    }

    /**
     * Folds in one period's measurement and returns the updated forecast.
     *
     * @throws IllegalArgumentException for another model's observation, or one older than the previous one (the
     *                                  stabilisation window depends on time moving forward)
     */
    public Forecast observe(LoadObservation obs) {
        if (!obs.model().equals(model)) {
            throw new IllegalArgumentException("observation for " + obs.model() + " fed to the forecaster of " + model);
        }
        if (initialised && obs.atMillis() < lastAtMillis) {
            throw new IllegalArgumentException("observation at " + obs.atMillis() + " is older than the previous one at "
                    + lastAtMillis);
        }
        double x = obs.demandRate();
        double dt = obs.intervalSeconds();
        boolean burst = false;
        if (!initialised) {
            longRate = x;
            shortRate = x;
            trend = 0;
            initialised = true;
        } else {
            double aLong = ForecastSettings.alpha(settings.longHalfLifeSeconds(), dt);
            double aShort = ForecastSettings.alpha(settings.shortHalfLifeSeconds(), dt);
            double baseline = longRate;
            shortRate += aShort * (x - shortRate);
            longRate += aLong * (x - longRate);
            // Slope of the long EWMA, smoothed at the same half-life: a Holt-style trend without changing the level.
            trend += aLong * ((longRate - baseline) / dt - trend);
            burst = isBurst(shortRate, baseline, aShort, dt);
        }
        lastAtMillis = obs.atMillis();

        boolean burstLeads = burst && shortRate > longRate;
        // In a burst the short average still lags a step; the last period's own rate (already past the noise
        // guard, since the burst was flagged) is what must be served now, as Knative's panic mode does.
        double recommendation = (burstLeads ? Math.max(shortRate, x) : longRate) * settings.headroom();
        double planned = remember(obs.atMillis(), recommendation);
        Forecast.Basis basis = planned > recommendation ? Forecast.Basis.PEAK_HOLD
                : burstLeads ? Forecast.Basis.BURST : Forecast.Basis.EWMA;
        return new Forecast(model, obs.atMillis(), longRate, shortRate, trend, burst, planned, basis);
    }

    private boolean isBurst(double shortNow, double baseline, double aShort, double dt) {
        if (shortNow < settings.burstFactor() * baseline) {
            return false;
        }
        double sigma = Math.sqrt(aShort / (2 - aShort)) * Math.sqrt(Math.max(baseline * dt, 1)) / dt;
        return shortNow - baseline > settings.noiseSigmas() * sigma;
    }

    /** Adds a recommendation, drops those that left the window, returns the largest left. */
    private double remember(long atMillis, double recommendation) {
        window.addLast(new Recommendation(atMillis, recommendation));
        // Entries strictly newer than now − window count; the current one always does.
        while (window.size() > 1 && window.peekFirst().atMillis() <= atMillis - settings.stabilisationWindowMillis()) {
            window.removeFirst();
        }
        double max = 0;
        for (Recommendation r : window) {
            max = Math.max(max, r.rate());
        }
        return max;
    }

    private record Recommendation(long atMillis, double rate) {
    }
}
