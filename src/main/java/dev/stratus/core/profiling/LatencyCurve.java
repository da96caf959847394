package dev.stratus.core.profiling;

import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.Profile;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Latency of a model at any batch size, as the planner and simulator need it: measured values where the
 * profile has the batch size, and between or beyond measured sizes the fitted curve's shape, scaled so that it
 * passes through the neighbouring measurements (the fit alone can be off by its error at any one point).
 */
public final class LatencyCurve {
    private final Profile profile;
    private final List<BatchMeasurement> points;

    public LatencyCurve(Profile profile) {
        this.profile = profile;
        this.points = profile.batches();
    }

    public Profile profile() {
        return profile;
    }

    /** Conservative latency (max of p99 and mean + 2 std), in milliseconds. */
    public double conservativeMs(int batch) {
        return at(batch, BatchMeasurement::conservativeMs);
    }

    public double meanMs(int batch) {
        return at(batch, BatchMeasurement::meanMs);
    }

    public double stdMs(int batch) {
        return at(batch, BatchMeasurement::stdMs);
    }

    public double p99Ms(int batch) {
        return at(batch, BatchMeasurement::p99Ms);
    }

    /** Items per second one replica sustains at this batch size when kept busy, from the mean latency. */
    public double throughputPerSecond(int batch) {
        return batch * 1000.0 / meanMs(batch);
    }

    private double at(int batch, ToDoubleFunction<BatchMeasurement> stat) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        BatchMeasurement below = null;
        BatchMeasurement above = null;
        for (BatchMeasurement m : points) {
            if (m.batch() == batch) {
                return stat.applyAsDouble(m);
            }
            if (m.batch() < batch) {
                below = m;
            } else if (above == null) {
                above = m;
            }
        }
        double fitted = Math.max(fit(batch), 1e-9);
        if (below == null) {
            return fitted * ratio(above, stat);
        }
        if (above == null) {
            return fitted * ratio(below, stat);
        }
        double t = (double) (batch - below.batch()) / (above.batch() - below.batch());
        return fitted * ((1 - t) * ratio(below, stat) + t * ratio(above, stat));
    }

    private double ratio(BatchMeasurement m, ToDoubleFunction<BatchMeasurement> stat) {
        return stat.applyAsDouble(m) / Math.max(fit(m.batch()), 1e-9);
    }

    private double fit(int batch) {
        return profile.fit().latencyMs(batch);
    }
}
