package dev.stratus.core.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.model.profile.LatencyFit;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.model.profile.Provenance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyCurveTest {
    /** Measured at 1, 4 and 16; the fit says 2b + 2, but batch 4 measured 12 (fit: 10) and batch 16 measured 34. */
    static final Profile PROFILE = new Profile("m",
            new Provenance("cpu-test-2c", "Test CPU", 2, null, "cpu", 2, "ort", "stratus", Map.of("x", List.of(1L)),
                    "2026-11-22T00:00:00Z", null),
            List.of(point(1, 4), point(4, 12), point(16, 34)),
            new LatencyFit(LatencyFit.LINEAR, List.of(2.0, 2.0), 0.2, 0.1),
            new ColdStart(1000, 100, 10, 50, false), new ColdStart(1000, 50, 10, 50, true));

    static BatchMeasurement point(int b, double mean) {
        return new BatchMeasurement(b, mean, 0, mean, mean, mean, b * 1000 / mean, 0, 10, true);
    }

    @ParameterizedTest(name = "l({0}) = {1}")
    @CsvSource({
            "1, 4",     // measured
            "4, 12",    // measured, not the fit's 10
            "16, 34",   // measured
            "2, 6.4",   // fit 6 × ratio interpolated 1/3 of the way from 4/4 to 12/10
            "10, 24.2", // fit 22 × ratio halfway between 12/10 and 34/34
            "32, 66"    // beyond the largest: fit 66 × the ratio at 16 (1.0)
    })
    void measuredPointsWinAndTheFitShapesTheRest(int batch, double expected) {
        assertEquals(expected, new LatencyCurve(PROFILE).meanMs(batch), 1e-9);
    }
}
