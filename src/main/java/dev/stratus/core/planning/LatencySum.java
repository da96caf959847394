package dev.stratus.core.planning;

/**
 * The tail of a request's latency as one sum, fill wait + queueing + execution, instead of the sum of each term's
 * high quantile (which assumes that the request that waits longest for its batch also waits longest for its replica
 * and runs in the slowest batch; at the 99th percentile that overstates the latency by tens of percent).
 *
 * <p>The three parts are independent random variables:
 * <ul>
 *   <li><b>fill wait</b> F ~ Uniform(0, D): where a request lands in its batch is uniform, and the batcher starts
 *       the batch at most D (the max queue delay, the planned fill time) after its first request;</li>
 *   <li><b>queueing</b> Q: a formed batch waits for its replica with probability ρ, then an exponential time
 *       (Kingman's G/G/1 mean E[W] as in {@link Queueing}, tail rate λ = ρ/E[W]): P(Q &gt; t) = ρ·e^(−λt);</li>
 *   <li><b>execution</b> S ~ Normal(m, σ²) of the request's own batch, m the mean batch time and σ such that the
 *       99th percentile is the conservative latency l(b) (σ = (l(b) − m)/2.326), so that alone it is as
 *       conservative as before.</li>
 * </ul>
 * S + Q is an exponentially modified Gaussian, whose survival function is closed-form; averaging it over the
 * uniform fill wait is closed-form too (both antiderivatives are elementary in Φ and φ). So the probability that a
 * request's latency exceeds t, {@link #exceedance}, costs a few exponentials and error functions, and its quantile,
 * {@link #quantileMs}, a few Newton steps. The planner's fit checks use the exceedance at the budget directly (no
 * root finding). {@code LatencySumTest} compares the quantile with the simulator's measured p99.
 *
 * @param fillMs     D, the longest fill wait (0 for batch 1)
 * @param meanMs     m, the mean batch time
 * @param sigmaMs    σ of the batch time
 * @param rho        the replica's utilisation (no queueing at 0; unbounded at 1 or more)
 * @param meanWaitMs E[W], Kingman's mean wait of a batch for its replica
 */
public record LatencySum(double fillMs, double meanMs, double sigmaMs, double rho, double meanWaitMs) {
    /** Φ⁻¹(0.99): the conservative latency is the batch time's 99th percentile. */
    static final double Z99 = 2.3263478740408408;
    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

    /**
     * The sum for one configuration: batch time mean {@code meanMs} with conservative latency
     * {@code conservativeMs}, squared coefficient of variation {@code serviceCv2}, fill wait up to {@code fillMs},
     * utilisation {@code rho}, batches reaching the replica every n·b Poisson arrivals ({@code arrivalsPerBatch}).
     */
    public static LatencySum of(double fillMs, double meanMs, double conservativeMs, double serviceCv2, double rho,
            double arrivalsPerBatch) {
        double sigma = Math.max(0, conservativeMs - meanMs) / Z99;
        double meanWait = rho <= 0 || rho >= 1 ? 0
                : meanMs * rho / (1 - rho) * (1 / arrivalsPerBatch + serviceCv2) / 2;
        return new LatencySum(Math.max(0, fillMs), meanMs, sigma, rho, meanWait);
    }

    /** P(F + Q + S &gt; t): the share of requests slower than {@code tMs} (network excluded). */
    public double exceedance(double tMs) {
        if (rho >= 1) {
            return 1;
        }
        double sigma = Math.max(sigmaMs, 1e-6 * Math.max(meanMs, 1e-3));
        double lambda = rho > 0 && meanWaitMs > 0 ? rho / meanWaitMs : 0;
        if (fillMs <= 1e-12) {
            return survival(tMs, sigma, lambda);
        }
        double integral = integral(tMs, sigma, lambda) - integral(tMs - fillMs, sigma, lambda);
        return clamp(integral / fillMs);
    }

    /**
     * The latency at {@code quantile} (network excluded): the t with {@link #exceedance}(t) = 1 − quantile, by Newton
     * steps guarded by a bracket.
     */
    public double quantileMs(double quantile) {
        if (rho >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        double target = 1 - quantile;
        double sigma = Math.max(sigmaMs, 1e-6 * Math.max(meanMs, 1e-3));
        double lambda = rho > 0 && meanWaitMs > 0 ? rho / meanWaitMs : 0;
        double lo = Math.max(0, meanMs - 10 * sigma);
        // Above the sum of the parts' own high quantiles the exceedance is below the target.
        double hi = fillMs + meanMs + 10 * sigma + (lambda > 0 ? Math.log(Math.max(rho / target, 1)) / lambda : 0) + 1e-9;
        while (exceedance(hi) > target) {
            hi = 2 * hi + 1;
        }
        double t = Math.min(hi, Math.max(lo, fillMs / 2 + meanMs + Z99 * sigma));
        for (int i = 0; i < 60 && hi - lo > 1e-7 * hi; i++) {
            double g = exceedance(t) - target;
            if (Math.abs(g) <= 1e-9 * target) {
                return t;
            }
            if (g > 0) {
                lo = t;
            } else {
                hi = t;
            }
            double slope = density(t, sigma, lambda);
            double next = slope > 0 ? t + g / slope : Double.NaN;
            t = next > lo && next < hi ? next : (lo + hi) / 2;
        }
        return t;
    }

    /** −d/dt exceedance: the density of the latency at t. */
    private double density(double t, double sigma, double lambda) {
        if (fillMs <= 1e-12) {
            double z = (t - meanMs) / sigma;
            double phiZ = phi(z);
            return rho * lambda * shifted(z, phiZ, sigma, lambda) + phiZ / sigma * (1 - rho);
        }
        return (survival(t - fillMs, sigma, lambda) - survival(t, sigma, lambda)) / fillMs;
    }

    /** P(S + Q &gt; v), the exponentially modified Gaussian with an atom at Q = 0. */
    private double survival(double v, double sigma, double lambda) {
        double z = (v - meanMs) / sigma;
        double phiZ = phi(z);
        double s = upperTail(z, phiZ);
        if (lambda > 0) {
            s += rho * shifted(z, phiZ, sigma, lambda);
        }
        return clamp(s);
    }

    /** An antiderivative of {@link #survival} in v. */
    private double integral(double v, double sigma, double lambda) {
        double z = (v - meanMs) / sigma;
        double phiZ = phi(z);
        double tail = upperTail(z, phiZ);
        double a = sigma * (z * tail - phiZ);
        if (lambda > 0) {
            a += rho / lambda * (1 - tail - shifted(z, phiZ, sigma, lambda));
        }
        return a;
    }

    /**
     * e^(−λσz + λ²σ²/2)·Φ(z − λσ), written so that it neither overflows nor loses precision: with x = λσ − z it
     * equals φ(z)·Φc(x)/φ(x), and Φc(x)/φ(x) (Mills' ratio) is computed without the Gaussian factor.
     */
    private static double shifted(double z, double phiZ, double sigma, double lambda) {
        double ls = lambda * sigma;
        double x = ls - z;
        if (x >= 0) {
            return phiZ * mills(x);
        }
        return Math.exp(ls * (ls / 2 - z)) * (1 - upperTail(-x));
    }

    private static double clamp(double p) {
        return Math.min(1, Math.max(0, p));
    }

    /** The standard normal density φ(z). */
    static double phi(double z) {
        return Math.exp(-z * z / 2) / SQRT_2PI;
    }

    /** Φc(z) = P(Z &gt; z) for a standard normal Z. */
    static double upperTail(double z) {
        return upperTail(z, phi(z));
    }

    /** Φc(z) given φ(z) (= φ(−z)), saving an exponential. */
    private static double upperTail(double z, double phiZ) {
        return z >= 0 ? phiZ * mills(z) : 1 - phiZ * mills(-z);
    }

    /**
     * Mills' ratio Φc(x)/φ(x) for x ≥ 0, from the Chebyshev fit of erfc (fractional error below 1.2·10⁻⁷; Press et
     * al., Numerical Recipes, §6.2): erfc(y) = t·exp(−y² + P(t)) with t = 1/(1 + y/2), so the Gaussian factor
     * cancels and the ratio stays finite for any x.
     */
    static double mills(double x) {
        double y = x / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * y);
        double p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        return SQRT_2PI / 2 * t * Math.exp(p);
    }
}
