package dev.stratus.core.planning;

import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.profiling.LatencyCurve;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * A model's latency on one pool, tabulated once for every batch size it may use: the conservative latency
 * (max of p99 and mean + 2 std, from {@link LatencyCurve}) and Nexus' mean + std, both times the pool's
 * latency scale (and the control loop's correction for the model on the pool, when it has one). Batch sizes go
 * up to the smaller of the model's max batch and the largest profiled batch (no extrapolation beyond what was
 * measured).
 */
public final class ServiceCurve {
    private final ModelDemand model;
    private final Pool pool;
    private final int maxBatch;
    private final double[] conservativeMs;
    private final double[] meanPlusStdMs;
    private final double[] meanMs;
    private final int[] candidates;

    public ServiceCurve(ModelDemand model, Pool pool, Profile profile) {
        this(model, pool, profile, 1.0);
    }

    /** With {@code correction}: a factor on every latency of the model on this pool (the control loop's feedback). */
    public ServiceCurve(ModelDemand model, Pool pool, Profile profile, double correction) {
        this.model = model;
        this.pool = pool;
        this.maxBatch = Math.min(model.maxBatch(), profile.maxBatch());
        LatencyCurve curve = new LatencyCurve(profile);
        double scale = pool.latencyScale() * correction;
        this.conservativeMs = new double[maxBatch + 1];
        this.meanPlusStdMs = new double[maxBatch + 1];
        this.meanMs = new double[maxBatch + 1];
        for (int b = 1; b <= maxBatch; b++) {
            conservativeMs[b] = scale * curve.conservativeMs(b);
            meanPlusStdMs[b] = scale * (curve.meanMs(b) + curve.stdMs(b));
            meanMs[b] = scale * curve.meanMs(b);
        }
        TreeSet<Integer> batches = new TreeSet<>();
        for (int b = 1; b <= maxBatch; b *= 2) {
            batches.add(b);
        }
        for (BatchMeasurement m : profile.batches()) {
            if (m.batch() <= maxBatch) {
                batches.add(m.batch());
            }
        }
        batches.add(maxBatch);
        this.candidates = batches.stream().mapToInt(Integer::intValue).toArray();
    }

    public ModelDemand model() {
        return model;
    }

    public Pool pool() {
        return pool;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** Batch sizes worth trying: powers of two, the profiled sizes and the max batch. */
    public int[] candidateBatches() {
        return Arrays.copyOf(candidates, candidates.length);
    }

    int[] candidatesView() {
        return candidates;
    }

    /** l(b) on this pool: conservative, milliseconds. */
    public double latencyMs(int batch) {
        return conservativeMs[check(batch)];
    }

    /** Nexus' latency estimate on this pool: mean + std, milliseconds. */
    public double meanPlusStdMs(int batch) {
        return meanPlusStdMs[check(batch)];
    }

    /** Mean latency on this pool (what a utilisation-based autoscaler sees), milliseconds. */
    public double meanMs(int batch) {
        return meanMs[check(batch)];
    }

    /** Squared coefficient of variation of a batch's service time, (std / mean)², from the profile. */
    public double serviceCv2(int batch) {
        double std = meanPlusStdMs[check(batch)] - meanMs[batch];
        return meanMs[batch] > 0 ? (std / meanMs[batch]) * (std / meanMs[batch]) : 0;
    }

    public double rttMs() {
        return pool.networkRttMs();
    }

    public double costPerHour() {
        return pool.costPerHour();
    }

    /** Whether one copy of the model fits in one replica's memory. */
    public boolean fitsMemory() {
        return model.memoryMb() <= pool.memoryMb();
    }

    private int check(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + maxBatch + " for " + model.name()
                    + " on " + pool.name());
        }
        return batch;
    }
}
