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

    /** Time the first request of a batch waits for the other b−1 to arrive. */
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
        return LatencySum.of(fillWaitMs(batch, replicas, ratePerSecond, dispatch), meanMs, conservativeMs, serviceCv2,
                rho, (double) replicas * batch);
    }

    /**
     * The bound this planner used before {@link LatencySum}, kept for comparison: the sum of each part's own high
     * quantile, RTT + the full fill wait + the conservative l(b) + the queueing tail at the quantile.
     */
    public static double perTermWorstLatencyMs(double rttMs, int batch, int replicas, double ratePerSecond,
                                               double meanMs, double conservativeMs, double serviceCv2,
                                               DispatchPolicy dispatch, double quantile) {
        double rho = utilisation(batch, replicas, ratePerSecond, meanMs);
        return rttMs + fillWaitMs(batch, replicas, ratePerSecond, dispatch) + conservativeMs
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
