package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;

import java.util.Optional;

/**
 * Replica counts and rate capacities of one (pool, batch) under the {@link Queueing} latency model: a configuration
 * fits when at most 1 − q of its requests take longer than the budget ({@link LatencySum#exceedance}), and its
 * replicas are at most {@code maxUtilisation} busy.
 */
public final class Sizing {
    private final double maxUtilisation;

    public Sizing(double maxUtilisation) {
        this.maxUtilisation = maxUtilisation;
    }

    /**
     * The fewest replicas (at most {@code maxReplicas}) that serve {@code rate} at batch {@code batch} within
     * {@code budgetMs} and the utilisation cap, or empty. Batch-aware waits do not grow with replicas and the
     * queueing shrinks with them, so the first count that fits is the cheapest; spread waits grow with replicas, so
     * the search stops as soon as the fill wait and execution alone (no queueing) miss the budget.
     */
    public Optional<Sized> size(ServiceCurve curve, int batch, double rate, double budgetMs, DispatchPolicy dispatch,
                                int maxReplicas, double quantile) {
        double mean = curve.meanMs(batch);
        double rtt = curve.rttMs();
        double allowed = 1 - quantile;
        if (maxReplicas < 1 || executionAlone(curve, batch, budgetMs) > allowed) {
            return Optional.empty();
        }
        // Capacity from the mean service time; the conservative one bounds each request's own batch.
        int first = (int) Math.max(1, Math.ceil(rate * mean / 1000.0 / (batch * maxUtilisation) - 1e-9));
        boolean fillGrows = dispatch != DispatchPolicy.BATCH_AWARE; // batch-aware fill waits do not depend on n
        for (int n = first; n <= maxReplicas; n++) {
            if ((n == first || fillGrows) && LatencySum.of(Queueing.fillSpreadMs(batch, n, rate, dispatch), mean,
                    curve.latencyMs(batch), curve.serviceCv2(batch), 0, 1).exceedance(budgetMs - rtt) > allowed) {
                return Optional.empty();
            }
            if (fitsBudget(curve, batch, n, rate, budgetMs, dispatch, allowed)) {
                return Optional.of(new Sized(curve, batch, n, rate, Queueing.maxQueueDelayMs(batch, n, rate, dispatch),
                        worst(curve, batch, n, rate, dispatch, quantile), dispatch));
            }
            if (n - first > 64) { // the queueing shrinks like 1/n: this far past the utilisation bound it will not fit
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The most requests per second {@code replicas} replicas serve at this batch within the budget (0 when none).
     * The share of late requests first falls with the rate (batches fill faster) and then rises (queueing), so the
     * feasible rates form an interval: from the utilisation ceiling down in steps of a fifth until a rate fits, then
     * a bisection for the top of the interval.
     */
    public double maxRate(ServiceCurve curve, int batch, int replicas, double budgetMs, DispatchPolicy dispatch,
                          double quantile) {
        double allowed = 1 - quantile;
        if (executionAlone(curve, batch, budgetMs) > allowed) {
            return 0;
        }
        double ceiling = maxUtilisation * Queueing.throughputPerSecond(batch, curve.meanMs(batch)) * replicas;
        if (fits(curve, batch, replicas, ceiling, budgetMs, dispatch, allowed)) {
            return ceiling;
        }
        double floor = ceiling * 1e-4;
        double hi = ceiling;
        double lo = hi * 0.8;
        while (!fits(curve, batch, replicas, lo, budgetMs, dispatch, allowed)) {
            if (lo < floor) {
                return 0;
            }
            hi = lo;
            lo *= 0.8;
        }
        for (int i = 0; i < 50 && hi - lo > 1e-4 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (fits(curve, batch, replicas, mid, budgetMs, dispatch, allowed)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The share of requests a batch alone (no fill wait, no queueing) leaves beyond the budget. */
    private static double executionAlone(ServiceCurve curve, int batch, double budgetMs) {
        return LatencySum.of(0, curve.meanMs(batch), curve.latencyMs(batch), curve.serviceCv2(batch), 0, 1)
                .exceedance(budgetMs - curve.rttMs());
    }

    private static double exceedance(ServiceCurve curve, int batch, int replicas, double rate, double budgetMs,
                                     DispatchPolicy dispatch) {
        return Queueing.exceedance(budgetMs, curve.rttMs(), batch, replicas, rate, curve.meanMs(batch),
                curve.latencyMs(batch), curve.serviceCv2(batch), dispatch);
    }

    private static double worst(ServiceCurve curve, int batch, int replicas, double rate, DispatchPolicy dispatch,
                                double quantile) {
        return Queueing.worstLatencyMs(curve.rttMs(), batch, replicas, rate, curve.meanMs(batch),
                curve.latencyMs(batch), curve.serviceCv2(batch), dispatch, quantile);
    }

    private boolean fits(ServiceCurve curve, int batch, int replicas, double rate, double budgetMs,
                         DispatchPolicy dispatch, double allowed) {
        if (!(rate > 0) || Queueing.utilisation(batch, replicas, rate, curve.meanMs(batch)) > maxUtilisation + 1e-12) {
            return false;
        }
        return fitsBudget(curve, batch, replicas, rate, budgetMs, dispatch, allowed);
    }

    /**
     * Whether at most {@code allowed} of the requests miss the budget. The sum of each part's own quantile is never
     * below the sum's quantile (LatencySumTest), and costs a logarithm where the sum costs a dozen exponentials: when
     * it fits, so does the sum.
     */
    private static boolean fitsBudget(ServiceCurve curve, int batch, int replicas, double rate, double budgetMs,
                                      DispatchPolicy dispatch, double allowed) {
        if (Queueing.perTermWorstLatencyMs(curve.rttMs(), batch, replicas, rate, curve.meanMs(batch),
                curve.latencyMs(batch), curve.serviceCv2(batch), dispatch, 1 - allowed) <= budgetMs) {
            return true;
        }
        return exceedance(curve, batch, replicas, rate, budgetMs, dispatch) <= allowed;
    }
}
