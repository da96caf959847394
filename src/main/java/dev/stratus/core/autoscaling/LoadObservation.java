package dev.stratus.core.autoscaling;

import java.util.Objects;

/**
 * What the control loop measured for one model over the period that ended at {@code atMillis}.
 *
 * @param model           model (or co-location group) name
 * @param atMillis        end of the period, in the loop's clock (epoch or monotonic milliseconds)
 * @param intervalSeconds length of the period; the forecaster converts half-lives to per-period weights from it, so
 *                        a late tick or a skipped period is weighted correctly
 * @param arrivals        requests admitted during the period, <em>not</em> counting {@code shed}
 * @param shed            requests rejected (admission control, full queue) during the period; they were demand too,
 *                        and leaving them out would make an overloaded model look less loaded than it is
 * @param p99Ms           p99 end-to-end latency over the period, or NaN when nothing completed
 * @param queued          requests waiting at the end of the period
 */
public record LoadObservation(
        String model,
        long atMillis,
        double intervalSeconds,
        long arrivals,
        long shed,
        double p99Ms,
        int queued) {

    public LoadObservation {
        Objects.requireNonNull(model, "model");
        if (!(intervalSeconds > 0) || Double.isInfinite(intervalSeconds)) {
            throw new IllegalArgumentException("intervalSeconds must be > 0 and finite: " + intervalSeconds);
        }
        if (arrivals < 0 || shed < 0 || queued < 0) {
            throw new IllegalArgumentException("arrivals, shed and queued must be >= 0");
        }
        if (p99Ms < 0) {
            throw new IllegalArgumentException("p99Ms must be >= 0 or NaN: " + p99Ms);
        }
    }

    /** Demand over the period in requests per second: admitted plus shed. */
    public double demandRate() {
        return (arrivals + shed) / intervalSeconds;
    }
}
