package dev.stratus.core.planning;

import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.model.profile.LatencyFit;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.model.profile.Provenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Profiles made up from a linear latency law mean(b) = α·b + β with a relative standard deviation, measured at
 * powers of two up to a max batch, for planner scale runs and tests. Percentiles follow a normal shape
 * (p95 = mean + 1.645 std, p99 = mean + 2.326 std). Marked as synthetic in their provenance.
 */
public final class SyntheticProfiles {
    private SyntheticProfiles() {
    }

    public static Profile linear(String model, String hardwareId, double alphaMs, double betaMs, double relativeStd,
                                 int maxBatch) {
        List<BatchMeasurement> points = new ArrayList<>();
        for (int b = 1; b <= maxBatch; b *= 2) {
            double mean = alphaMs * b + betaMs;
            double std = relativeStd * mean;
            points.add(new BatchMeasurement(b, mean, std, mean, mean + 1.645 * std, mean + 2.326 * std,
                    b * 1000.0 / mean, 0, 100, true));
        }
        Provenance provenance = new Provenance(hardwareId, "synthetic", 1, "", "cpu", 1, "-", "-", Map.of("x", List.of(1L)),
                "1970-01-01", "synthetic linear profile: " + alphaMs + " ms/item + " + betaMs + " ms");
        ColdStart cold = new ColdStart(500, 300, 50, 200, false);
        return new Profile(model, provenance, points, new LatencyFit(LatencyFit.LINEAR, List.of(betaMs, alphaMs), 0, 0),
                cold, new ColdStart(500, 100, 50, 200, true));
    }
}
