package dev.stratus.core.model.fleet;

import java.util.Objects;

/**
 * What a gateway saw of one model's requests over one observation period.
 *
 * <p>The SLI: {@code total} counts every request that ended, except the client's own errors (malformed input, an
 * unknown tensor: 4xx other than 429), which say nothing about the service; {@code good} counts those answered
 * successfully within the model's SLO. Shed requests, deadline misses and server errors are in {@code total} but
 * not in {@code good}.
 *
 * @param admitted requests forwarded to a replica (a retry is not counted twice)
 * @param shed     requests turned away at once (admission control, or no ready replica)
 * @param good     requests answered successfully within the model's SLO
 * @param total    requests that ended, client errors excepted
 * @param p50Ms    median latency of the successful answers, NaN when there were none
 * @param p99Ms    99th percentile latency of the successful answers, NaN when there were none
 * @param inFlight requests forwarded and not yet answered at the end of the period
 */
public record TrafficSample(String model, long admitted, long shed, long good, long total, double p50Ms,
        double p99Ms, int inFlight) {

    public TrafficSample {
        Objects.requireNonNull(model, "model");
        if (admitted < 0 || shed < 0 || good < 0 || total < good || inFlight < 0) {
            throw new IllegalArgumentException("counts must be >= 0 and good <= total");
        }
    }

    public static TrafficSample empty(String model) {
        return new TrafficSample(model, 0, 0, 0, 0, Double.NaN, Double.NaN, 0);
    }

    /**
     * This sample and another (of another period, or another gateway) as one: counts add up, the p99 is the larger
     * (conservative: the true p99 of the union lies between the two), the median is weighted by requests answered,
     * in-flight adds up.
     */
    public TrafficSample plus(TrafficSample b) {
        double p99 = Double.isNaN(p99Ms) ? b.p99Ms() : Double.isNaN(b.p99Ms()) ? p99Ms : Math.max(p99Ms, b.p99Ms());
        double p50 = Double.isNaN(p50Ms) ? b.p50Ms() : Double.isNaN(b.p50Ms()) ? p50Ms
                : (p50Ms * total + b.p50Ms() * b.total()) / Math.max(1, total + b.total());
        return new TrafficSample(model, admitted + b.admitted(), shed + b.shed(), good + b.good(), total + b.total(),
                p50, p99, inFlight + b.inFlight());
    }

    /** Share of requests answered within the SLO, NaN when none ended. */
    public double attainment() {
        return total == 0 ? Double.NaN : (double) good / total;
    }
}
