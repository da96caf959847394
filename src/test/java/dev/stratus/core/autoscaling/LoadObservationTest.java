package dev.stratus.core.autoscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadObservationTest {

    @ParameterizedTest(name = "{0} admitted + {1} shed over {2} s = {3}/s")
    @CsvSource({
            "100, 0, 5, 20",
            "80, 20, 5, 20",      // shed requests were demand too
            "0, 0, 2, 0",
            "3, 0, 0.5, 6"
    })
    void demandCountsShedRequests(long arrivals, long shed, double interval, double rate) {
        var o = new LoadObservation("m", 0, interval, arrivals, shed, Double.NaN, 0);
        assertEquals(rate, o.demandRate(), 1e-12);
    }

    @ParameterizedTest(name = "interval {0}, arrivals {1}, shed {2}, p99 {3}, queued {4}")
    @CsvSource({
            "0, 1, 0, 1, 0",
            "-1, 1, 0, 1, 0",
            "1, -1, 0, 1, 0",
            "1, 1, -1, 1, 0",
            "1, 1, 0, -5, 0",
            "1, 1, 0, 1, -1"
    })
    void rejectsImpossibleMeasurements(double interval, long arrivals, long shed, double p99, int queued) {
        assertThrows(IllegalArgumentException.class,
                () -> new LoadObservation("m", 0, interval, arrivals, shed, p99, queued));
    }
}
