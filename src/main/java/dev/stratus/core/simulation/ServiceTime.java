package dev.stratus.core.simulation;

import dev.stratus.core.profiling.LatencyCurve;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Execution time of one batch on one replica, per batch size 1..maxBatch: the mean and standard deviation come
 * from the profile (or a synthetic α·b + β curve), and each execution is drawn from a lognormal distribution with
 * that mean and std (positive, right-skewed like measured inference latency). A std of 0 gives the mean exactly,
 * for closed-form tests. Tables are precomputed so a draw is one Gaussian and one exp.
 */
public final class ServiceTime {
    private final double[] meanMs;
    private final double[] stdMs;
    private final double[] mu;
    private final double[] sigma;

    private ServiceTime(double[] meanMs, double[] stdMs) {
        if (meanMs.length != stdMs.length || meanMs.length < 2) {
            throw new IllegalArgumentException("service time needs mean and std for batch sizes 1..max");
        }
        this.meanMs = meanMs;
        this.stdMs = stdMs;
        this.mu = new double[meanMs.length];
        this.sigma = new double[meanMs.length];
        for (int b = 1; b < meanMs.length; b++) {
            if (!(meanMs[b] > 0) || !(stdMs[b] >= 0)) {
                throw new IllegalArgumentException("batch " + b + ": mean must be > 0 and std >= 0 (ms), got "
                        + meanMs[b] + " and " + stdMs[b]);
            }
            double cv = stdMs[b] / meanMs[b];
            sigma[b] = Math.sqrt(Math.log1p(cv * cv));
            mu[b] = Math.log(meanMs[b]) - sigma[b] * sigma[b] / 2;
        }
    }

    /** From explicit tables indexed by batch size (index 0 unused). */
    public static ServiceTime table(double[] meanMsByBatch, double[] stdMsByBatch) {
        return new ServiceTime(meanMsByBatch.clone(), stdMsByBatch.clone());
    }

    /** Synthetic linear model l(b) = α·b + β with a constant coefficient of variation. */
    public static ServiceTime linear(double alphaMs, double betaMs, double cv, int maxBatch) {
        if (alphaMs < 0 || betaMs < 0 || !(alphaMs + betaMs > 0) || cv < 0 || maxBatch < 1) {
            throw new IllegalArgumentException("linear service time needs alpha, beta >= 0 (not both 0), cv >= 0, max batch >= 1");
        }
        double[] mean = new double[maxBatch + 1];
        double[] std = new double[maxBatch + 1];
        for (int b = 1; b <= maxBatch; b++) {
            mean[b] = alphaMs * b + betaMs;
            std[b] = cv * mean[b];
        }
        return new ServiceTime(mean, std);
    }

    /** From a measured profile: its mean and std at every batch size up to {@code maxBatch}. */
    public static ServiceTime fromCurve(LatencyCurve curve, int maxBatch) {
        double[] mean = new double[maxBatch + 1];
        double[] std = new double[maxBatch + 1];
        for (int b = 1; b <= maxBatch; b++) {
            mean[b] = curve.meanMs(b);
            std[b] = curve.stdMs(b);
        }
        return new ServiceTime(mean, std);
    }

    /** The same shape with every mean and std multiplied by {@code factor} (a faster or slower pool; same CV). */
    public ServiceTime scaled(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("scale factor must be > 0, got " + factor);
        }
        double[] mean = new double[meanMs.length];
        double[] std = new double[stdMs.length];
        for (int b = 1; b < meanMs.length; b++) {
            mean[b] = meanMs[b] * factor;
            std[b] = stdMs[b] * factor;
        }
        return new ServiceTime(mean, std);
    }

    public int maxBatch() {
        return meanMs.length - 1;
    }

    public double meanMs(int batch) {
        return meanMs[batch];
    }

    public double stdMs(int batch) {
        return stdMs[batch];
    }

    /** Items per second one replica sustains at this batch when kept busy: b / l(b). */
    public double throughputPerSecond(int batch) {
        return batch * 1000.0 / meanMs[batch];
    }

    /** One execution time in milliseconds. */
    public double sampleMs(int batch, SplittableRandom rng) {
        double s = sigma[batch];
        return s == 0 ? meanMs[batch] : Math.exp(mu[batch] + s * rng.nextGaussian());
    }

    @Override
    public String toString() {
        return "ServiceTime" + Arrays.toString(Arrays.copyOfRange(meanMs, 1, Math.min(meanMs.length, 9))) + (meanMs.length > 9 ? "..." : "");
    }
}
