package dev.stratus.core.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.fleet.TrafficSample;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dashboard's SLI history under a manual clock: every time below is a parameter. */
class SloHistoryTest {
    static final long T0 = 1_000_000_000_000L;
    static final double BUDGET = 0.01;

    static TrafficSample sample(long good, long total) {
        return new TrafficSample("vad", total, 0, good, total, 1, 2, 0);
    }

    @Test
    void windowsCountWhatEndedInThemFromPointsThenFromMinutes() {
        SloHistory h = new SloHistory(Duration.ofMinutes(10));
        for (int s = 0; s < 7200; s += 2) { // two hours, a sample every 2 s: 100 requests, 99 good
            h.record(T0 + s * 1000L, sample(99, 100), 1, 1);
        }
        long now = T0 + 7198 * 1000L;
        SloHistory.Counts fiveMinutes = h.window("vad", now, Duration.ofMinutes(5));
        assertEquals(150 * 100, fiveMinutes.total()); // 150 points in (now - 5 min, now]
        assertEquals(0.99, fiveMinutes.attainment(), 1e-12);
        assertEquals(1.0, fiveMinutes.burnRate(BUDGET), 1e-9);
        SloHistory.Counts hour = h.window("vad", now, Duration.ofHours(1));
        // From whole minutes: the hour may start up to a minute early.
        assertTrue(hour.total() >= 1800 * 100 && hour.total() <= 1830 * 100, String.valueOf(hour.total()));
        assertEquals(3600 * 100, h.sinceStart("vad").total());
        assertEquals(300, h.points("vad", T0).size(), "points older than 10 minutes are dropped");
    }

    @Test
    void theBurnRateTableDecidesTheStatus() {
        SloHistory h = new SloHistory(Duration.ofMinutes(30));
        // An hour at 1 % errors burns exactly the budget: neither page nor ticket (factor 1 must be exceeded).
        for (int m = 0; m < 60; m++) {
            h.record(T0 + m * 60_000L, sample(990, 1000), 1, 0);
        }
        long now = T0 + 59 * 60_000L;
        assertEquals(Optional.empty(), h.alerting("vad", now, BUDGET));
        // Then five minutes at 100 % errors: 1h ratio (50+5000)/60000 = 8.4 %, under 14.4x; the 6h row (6x over
        // 6h and 30m, both 8.4 % and 17 %) pages.
        for (int m = 60; m < 65; m++) {
            h.record(T0 + m * 60_000L, sample(0, 1000), 1, 0);
        }
        now = T0 + 64 * 60_000L;
        assertEquals(Optional.of(BurnRateWindow.Severity.PAGE), h.alerting("vad", now, BUDGET));
        assertTrue(Double.isNaN(h.window("nope", now, Duration.ofMinutes(5)).burnRate(BUDGET)));
    }

    @Test
    void pointsCarryDemandAndReplicas() {
        SloHistory h = new SloHistory(Duration.ofMinutes(1));
        h.record(T0, sample(10, 10), 1, 1);
        h.record(T0 + 2000, new TrafficSample("vad", 30, 10, 38, 40, 1, 2, 0), 2, 0);
        SloHistory.Point p = h.latest("vad").orElseThrow();
        assertEquals(20.0, p.demandPerSecond(), 1e-9); // (30 admitted + 10 shed) / 2 s
        assertEquals(0.95, p.attainment(), 1e-9);
        assertEquals(2, p.serving());
        assertEquals(0, p.standby());
    }
}
