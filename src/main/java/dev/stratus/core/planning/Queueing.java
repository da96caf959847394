package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;

/**
 * The latency formulas of the planner (serving-papers.md §4), in milliseconds with rates in requests per second.
 * The latency of a request served by n replicas at batch b with rate r, at the objective's percentile:
 * <pre>  RTT + quantile(fill wait + queueing + execution)</pre>
 * where the fill wait is at most (b−1)/r under batch-aware dispatch and (b−1)·n/r when requests are spread, and the
 * queueing is the time a formed batch waits for its replica; the three are summed as random variables
 * ({@link LatencySum}), not as the sum of their own quantiles.
 */
public final class Queueing {
    private Queueing() {
    }

    /** Mean time the first request of a batch waits for the other b−1 to arrive. */
    public static double fillWaitMs(int batch, int replicas, double ratePerSecond, DispatchPolicy dispatch) {
        if (batch <= 1) {
            return 0;
        }
        if (!(ratePerSecond > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        double feedRate = dispatch == DispatchPolicy.BATCH_AWARE ? ratePerSecond : ratePerSecond / replicas;
        return (batch - 1) * 1000.0 / feedRate;
    }

    /**
     * The batcher's max queue delay for a planned tuple: the time within which 99 % of batches fill, the 99th
     * percentile of the b−1 arrivals after a batch's first request (Erlang, Wilson–Hilferty's approximation of its
     * quantile). A delay of only the mean fill time closes half the batches early; the requests the gateway still
     * sends to that replica for the batch then wait for the whole batch before them, and under a tight SLO they
     * expire (the simulator showed 17 % of requests lost that way at batch 2).
     */
    public static double maxQueueDelayMs(int batch, int replicas, double ratePerSecond, DispatchPolicy dispatch) {
        return fillQuantileMs(batch, replicas, ratePerSecond, dispatch, Z_99);
    }

    /**
     * The longest fill wait the latency model counts ({@link LatencySum}'s D): the 90th percentile of the time a batch
     * takes to fill. Longer than the mean because a slow fill makes its first requests wait longer; shorter than the
     * max queue delay because only a batch's first requests wait that long.
     */
    public static double fillSpreadMs(int batch, int replicas, double ratePerSecond, DispatchPolicy dispatch) {
        return fillQuantileMs(batch, replicas, ratePerSecond, dispatch, Z_90);
    }

    private static final double Z_99 = 2.3263478740408408;
    private static final double Z_90 = 1.2815515655446004;

    /** Quantile of Erlang(b−1, feed rate) at standard normal score z (Wilson–Hilferty). */
    private static double fillQuantileMs(int batch, int replicas, double ratePerSecond, DispatchPolicy dispatch,
                                         double z) {
        double mean = fillWaitMs(batch, replicas, ratePerSecond, dispatch);
        if (batch <= 1 || !Double.isFinite(mean)) {
            return mean;
        }
        int k = batch - 1;
        double x = 1 - 1.0 / (9 * k) + z / (3 * Math.sqrt(k));
        return mean * x * x * x;
    }

    /** Busy fraction of each replica: ρ = r·l(b) / (n·b). */
    public static double utilisation(int batch, int replicas, double ratePerSecond, double latencyMs) {
        return ratePerSecond * latencyMs / 1000.0 / ((double) replicas * batch);
    }

    /** Requests per second one replica completes when busy all the time: b / l(b). */
    public static double throughputPerSecond(int batch, double latencyMs) {
        return batch * 1000.0 / latencyMs;
    }

    /**
     * Time a full batch waits for its replica, at {@code quantile} of batches. Kingman's G/G/1 approximation with
     * deterministic service l(b) (the conservative latency already covers its variance) and batches arriving at a
     * replica every n·b requests of a Poisson stream (Erlang, squared CV 1/(n·b)):
     * E[W] = l·ρ/(1−ρ)·(1/(n·b))/2; with an exponential tail, P(W > t) ≈ ρ·exp(−t·ρ/E[W]), so the quantile is
     * E[W]/ρ·ln(ρ/(1−q)) (zero when fewer than 1−q of batches wait at all).
     */
    public static double queueingTailMs(double utilisation, int batch, int replicas, double latencyMs, double quantile) {
        return queueingTailMs(utilisation, batch, replicas, latencyMs, 0, quantile);
    }

    /**
     * As {@link #queueingTailMs(double, int, int, double, double)} with the batch service time's squared
     * coefficient of variation {@code serviceCv2} in Kingman's (ca² + cs²)/2 and {@code latencyMs} its mean.
     */
    public static double queueingTailMs(double utilisation, int batch, int replicas, double latencyMs,
                                        double serviceCv2, double quantile) {
        if (utilisation <= 0) {
            return 0;
        }
        if (utilisation >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        double ca2 = 1.0 / ((double) replicas * batch);
        double meanWait = latencyMs * utilisation / (1 - utilisation) * (ca2 + serviceCv2) / 2;
        double tail = 1 - quantile;
        if (utilisation <= tail) {
            return 0;
        }
        return meanWait / utilisation * Math.log(utilisation / tail);
    }

    /**
     * The latency of a request at the quantile, network included: RTT plus the quantile of the sum fill wait +
     * queueing + execution ({@link LatencySum}). The mean batch time {@code meanMs} sets the utilisation and the
     * queueing (over many batches the spread averages out, and its variance enters as {@code serviceCv2}); the
     * request's own batch has the conservative time {@code conservativeMs} as its 99th percentile.
     */
    public static double worstLatencyMs(double rttMs, int batch, int replicas, double ratePerSecond, double meanMs,
                                        double conservativeMs, double serviceCv2, DispatchPolicy dispatch,
                                        double quantile) {
        return rttMs + sum(batch, replicas, ratePerSecond, meanMs, conservativeMs, serviceCv2, dispatch)
                .quantileMs(quantile);
    }

    /** The share of requests slower than {@code budgetMs}, network included (see {@link #worstLatencyMs}). */
    public static double exceedance(double budgetMs, double rttMs, int batch, int replicas, double ratePerSecond,
                                    double meanMs, double conservativeMs, double serviceCv2, DispatchPolicy dispatch) {
        return sum(batch, replicas, ratePerSecond, meanMs, conservativeMs, serviceCv2, dispatch)
                .exceedance(budgetMs - rttMs);
    }

    /** Fill wait, queueing and execution of one configuration, as one sum. */
    public static LatencySum sum(int batch, int replicas, double ratePerSecond, double meanMs, double conservativeMs,
                                 double serviceCv2, DispatchPolicy dispatch) {
        double rho = utilisation(batch, replicas, ratePerSecond, meanMs);
        return LatencySum.of(fillSpreadMs(batch, replicas, ratePerSecond, dispatch), meanMs, conservativeMs, serviceCv2,
                rho, (double) replicas * batch);
    }

    /**
     * The way this planner bounded latency before {@link LatencySum}, kept for comparison: the sum of each part's
     * own high quantile, RTT + the longest fill wait counted + the conservative l(b) + the queueing tail at the
     * quantile.
     */
    public static double perTermWorstLatencyMs(double rttMs, int batch, int replicas, double ratePerSecond,
                                               double meanMs, double conservativeMs, double serviceCv2,
                                               DispatchPolicy dispatch, double quantile) {
        double rho = utilisation(batch, replicas, ratePerSecond, meanMs);
        return rttMs + fillSpreadMs(batch, replicas, ratePerSecond, dispatch) + conservativeMs
                + queueingTailMs(rho, batch, replicas, meanMs, serviceCv2, quantile);
    }

    /**
     * Smallest k with P(Poisson(mean) ≤ k) ≥ quantile, or {@code cap + 1} when that exceeds {@code cap}: how many
     * requests to expect in a duty cycle at the objective's percentile.
     */
    public static int poissonQuantile(double mean, double quantile, int cap) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 700) { // exp(-mean) underflows; far beyond any batch cap anyway
            return cap + 1;
        }
        double p = Math.exp(-mean);
        double cumulative = p;
        int k = 0;
        while (cumulative < quantile) {
            if (k > cap) {
                return cap + 1;
            }
            k++;
            p *= mean / k;
            cumulative += p;
        }
        return Math.min(k, cap + 1);
    }
}
