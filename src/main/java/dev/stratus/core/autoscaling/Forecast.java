package dev.stratus.core.autoscaling;

import java.util.Objects;

/**
 * What {@link LoadForecaster} expects for one model, made at {@code atMillis}.
 *
 * @param longRate       EWMA of demand (long half-life), requests per second
 * @param shortRate      EWMA of demand (short half-life), requests per second
 * @param trendPerSecond smoothed slope of {@code longRate}, requests per second per second (negative when falling);
 *                       {@link LeadTime} uses it to size growth over a cold start
 * @param burst          the short rate is significantly above the long rate (see {@link ForecastSettings})
 * @param plannedRate    the rate to provision for: max(longRate, shortRate if burst) × headroom, held at the peak of
 *                       the stabilisation window
 * @param basis          which of those terms set {@code plannedRate}
 */
public record Forecast(
        String model,
        long atMillis,
        double longRate,
        double shortRate,
        double trendPerSecond,
        boolean burst,
        double plannedRate,
        Basis basis) {

    /** Which term set the planned rate, for reasons and events. */
    public enum Basis {
        /** The long EWMA times headroom: steady state. */
        EWMA,
        /** The short rate times headroom: a burst is under way, provision for it now. */
        BURST,
        /** A higher recommendation from within the stabilisation window: demand fell, capacity waits. */
        PEAK_HOLD
    }

    public Forecast {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(basis, "basis");
        if (!(longRate >= 0) || !(shortRate >= 0) || !(plannedRate >= 0) || Double.isNaN(trendPerSecond)) {
            throw new IllegalArgumentException("rates must be >= 0 and not NaN");
        }
    }

    /** Short human-readable account of the planned rate, e.g. "burst: short rate 55.0/s vs EWMA 32.0/s". */
    public String describe() {
        return switch (basis) {
            case EWMA -> "EWMA " + Fmt.rate(longRate) + (burst ? ", burst" : "");
            case BURST -> "burst: short rate " + Fmt.rate(shortRate) + " vs EWMA " + Fmt.rate(longRate);
            case PEAK_HOLD -> "held at the stabilisation-window peak; EWMA " + Fmt.rate(longRate)
                    + (burst ? ", burst: short rate " + Fmt.rate(shortRate) : "");
        };
    }
}
