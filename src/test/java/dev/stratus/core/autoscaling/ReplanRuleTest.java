package dev.stratus.core.autoscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplanRuleTest {

    static Forecast forecast(double planned, boolean burst) {
        return new Forecast("m", 0, planned / 1.1, planned / 1.1, 0, burst, planned,
                burst ? Forecast.Basis.BURST : Forecast.Basis.EWMA);
    }

    @ParameterizedTest(name = "planned {0}, forecast {1}, burst {2}, {3} ms since change -> {4}")
    @CsvSource({
            // current, forecast, burst, sinceChange, kind, newRate, reason fragment
            "30, 33.0, false, 100000, HOLD, 30, 'within [21.0/s, 33.0/s] of planned 30.0/s'",
            "30, 33.5, false, 0, UP, 33.5, 'forecast 33.5/s > planned 30.0/s +10 %'",
            "30, 90, false, 0, UP, 90, '> planned 30.0/s'",
            "30, 31, true, 0, UP, 31, 'burst: forecast 31.0/s > planned 30.0/s'",
            "30, 29, true, 0, HOLD, 30, 'within'",
            "30, 22, false, 100000, HOLD, 30, 'within [21.0/s, 33.0/s]'",
            "30, 20, false, 45000, DOWN, 20, 'forecast 20.0/s < planned 30.0/s -30 %'",
            "30, 20, false, 30000, DOWN, 20, '-30 %'",
            "30, 20, false, 10000, HOLD, 30, 'but only 10 s since the last change (< 30 s)'",
            "30, 20, true, 100000, HOLD, 30, 'but a burst is under way'",
            "30, 0, false, 60000, DOWN, 0, 'forecast 0.0/s < planned 30.0/s'",
            "0, 5, false, 0, UP, 5, 'no plan yet: forecast 5.0/s'",
            "0, 0, false, 0, HOLD, 0, 'no plan and no demand'"
    })
    void upDownHoldWithHysteresisAndDownInterval(double current, double planned, boolean burst, long since,
                                                 Decision.Kind kind, double newRate, String fragment) {
        long now = 1_000_000;
        Decision d = ReplanRule.DEFAULT.decide("m", current, forecast(planned, burst), now, now - since);
        assertEquals(kind, d.kind(), d.reason());
        assertEquals(newRate, d.newRate(), 1e-9);
        assertTrue(d.reason().contains(fragment), d.reason());
        assertEquals(kind != Decision.Kind.HOLD, d.replan());
    }

    @Test
    void reasonNamesTheNumbersAndTheBurst() {
        var f = new Forecast("m", 0, 32, 55, 0.5, true, 60.5, Forecast.Basis.BURST);
        Decision d = ReplanRule.DEFAULT.decide("m", 30, f, 10_000, 0);
        assertEquals("forecast 60.5/s > planned 30.0/s +10 % (burst: short rate 55.0/s vs EWMA 32.0/s)", d.reason());
    }

    @Test
    void neverChangedCountsAsLongAgo() {
        Decision d = ReplanRule.DEFAULT.decide("m", 30, forecast(10, false), 5_000, Long.MIN_VALUE);
        assertEquals(Decision.Kind.DOWN, d.kind());
    }

    @ParameterizedTest(name = "{0} ms since change with a 10 s up interval -> {1}")
    @CsvSource({"5000, HOLD", "10000, UP"})
    void upIntervalCanDelayScaleUp(long since, Decision.Kind kind) {
        var rule = new ReplanRule(0.10, 0.30, 10_000, 30_000);
        Decision d = rule.decide("m", 30, forecast(60, false), 100_000, 100_000 - since);
        assertEquals(kind, d.kind(), d.reason());
    }

    @ParameterizedTest(name = "up {0}, down {1}, intervals {2}/{3}")
    @CsvSource({"-0.1, 0.3, 0, 0", "0.1, 1.0, 0, 0", "0.1, -0.1, 0, 0", "0.1, 0.3, -1, 0", "0.1, 0.3, 0, -1"})
    void refusesMeaninglessRules(double up, double down, long upMs, long downMs) {
        assertThrows(IllegalArgumentException.class, () -> new ReplanRule(up, down, upMs, downMs));
    }
}
