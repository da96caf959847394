package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;

import java.util.Optional;

/** Replica counts and rate capacities of one (pool, batch) under the {@link Queueing} latency model. */
public final class Sizing {
    private final double maxUtilisation;

    public Sizing(double maxUtilisation) {
        this.maxUtilisation = maxUtilisation;
    }

    /**
     * The fewest replicas (at most {@code maxReplicas}) that serve {@code rate} at batch {@code batch} within
     * {@code budgetMs} and the utilisation cap, or empty. Batch-aware waits do not grow with replicas and the
     * queueing tail shrinks with them, so the first count that fits is the cheapest; spread waits grow with
     * replicas, so the search stops as soon as the fill wait alone breaks the budget.
     */
    public Optional<Sized> size(ServiceCurve curve, int batch, double rate, double budgetMs, DispatchPolicy dispatch,
                                int maxReplicas, double quantile) {
        double l = curve.latencyMs(batch);
        double mean = curve.meanMs(batch);
        double rtt = curve.rttMs();
        if (rtt + l > budgetMs || maxReplicas < 1) {
            return Optional.empty();
        }
        // Capacity from the mean service time; the conservative one bounds each request's own batch.
        int first = (int) Math.max(1, Math.ceil(rate * mean / 1000.0 / (batch * maxUtilisation) - 1e-9));
        for (int n = first; n <= maxReplicas; n++) {
            double fill = Queueing.fillWaitMs(batch, n, rate, dispatch);
            if (rtt + fill + l > budgetMs) {
                return Optional.empty();
            }
            double worst = worst(curve, batch, n, rate, dispatch, quantile);
            if (worst <= budgetMs) {
                return Optional.of(new Sized(curve, batch, n, rate, fill, worst, dispatch));
            }
            if (n - first > 64) { // the tail shrinks like 1/n: this far past the utilisation bound it will not fit
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The most requests per second {@code replicas} replicas serve at this batch within the budget (0 when none).
     * The latency first falls with the rate (batches fill faster) and then rises (queueing), so the feasible rates
     * form an interval: a ternary search finds the rate of lowest latency, a bisection the top of the interval.
     */
    public double maxRate(ServiceCurve curve, int batch, int replicas, double budgetMs, DispatchPolicy dispatch,
                          double quantile) {
        double l = curve.latencyMs(batch);
        double slack = budgetMs - curve.rttMs() - l;
        if (slack < 0) {
            return 0;
        }
        double ceiling = maxUtilisation * Queueing.throughputPerSecond(batch, curve.meanMs(batch)) * replicas;
        if (fits(curve, batch, replicas, ceiling, budgetMs, dispatch, quantile, l)) {
            return ceiling;
        }
        double floor = batch == 1 ? 0 : (batch - 1) * 1000.0 / slack * (dispatch == DispatchPolicy.BATCH_AWARE ? 1 : replicas);
        if (floor >= ceiling) {
            return 0;
        }
        double a = floor;
        double b = ceiling;
        for (int i = 0; i < 60 && b - a > 1e-9 * ceiling; i++) {
            double m1 = a + (b - a) / 3;
            double m2 = b - (b - a) / 3;
            if (latency(curve, batch, replicas, m1, dispatch, quantile, l) <= latency(curve, batch, replicas, m2, dispatch, quantile, l)) {
                b = m2;
            } else {
                a = m1;
            }
        }
        double best = (a + b) / 2;
        if (!fits(curve, batch, replicas, best, budgetMs, dispatch, quantile, l)) {
            return 0;
        }
        double lo = best;
        double hi = ceiling;
        for (int i = 0; i < 50 && hi - lo > 1e-9 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (fits(curve, batch, replicas, mid, budgetMs, dispatch, quantile, l)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double latency(ServiceCurve curve, int batch, int replicas, double rate, DispatchPolicy dispatch,
                                  double quantile, double l) {
        if (rate <= 0) {
            return batch == 1 ? curve.rttMs() + l : Double.POSITIVE_INFINITY;
        }
        return worst(curve, batch, replicas, rate, dispatch, quantile);
    }

    private static double worst(ServiceCurve curve, int batch, int replicas, double rate, DispatchPolicy dispatch,
                                double quantile) {
        return Queueing.worstLatencyMs(curve.rttMs(), batch, replicas, rate, curve.meanMs(batch),
                curve.latencyMs(batch), curve.serviceCv2(batch), dispatch, quantile);
    }

    private boolean fits(ServiceCurve curve, int batch, int replicas, double rate, double budgetMs,
                         DispatchPolicy dispatch, double quantile, double l) {
        if (!(rate > 0) || Queueing.utilisation(batch, replicas, rate, curve.meanMs(batch)) > maxUtilisation + 1e-12) {
            return false;
        }
        return worst(curve, batch, replicas, rate, dispatch, quantile) <= budgetMs;
    }
}
