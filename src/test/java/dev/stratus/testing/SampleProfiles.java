package dev.stratus.testing;

import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.model.profile.LatencyFit;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.model.profile.Provenance;
import java.util.List;
import java.util.Map;

/** A small valid profile for tests of the store and the API (made-up numbers, consistent with each other). */
public final class SampleProfiles {
    private SampleProfiles() {
    }

    public static Profile profile(String model, String hardwareId) {
        return new Profile(model,
                new Provenance(hardwareId, "AMD EPYC", 2, null, "cpu", 2, "onnxruntime 1.23.2", "stratus test",
                        Map.of("x", List.of(1L, 3L, 48L, 192L)), "2026-11-22T20:00:00Z", "unit test"),
                List.of(new BatchMeasurement(1, 1.5, 0.1, 1.4, 1.7, 1.9, 666.7, 1_000_000, 200, true),
                        new BatchMeasurement(4, 3.5, 0.2, 3.4, 3.8, 4.1, 1142.9, 3_000_000, 100, true)),
                new LatencyFit(LatencyFit.LINEAR, List.of(0.8333, 0.6667), 0.01, 0.005),
                new ColdStart(1500, 80, 20, 60, false), new ColdStart(1400, 30, 20, 60, true));
    }
}
