package dev.stratus.core.autoscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestartBackoffTest {
    static final RestartBackoff POLICY = new RestartBackoff(1_000, 8_000, 3, 20_000);

    @ParameterizedTest(name = "crash {0} in a row waits {1} ms")
    @CsvSource({"1, 0", "2, 1000", "3, 2000", "4, 4000", "5, 8000", "6, 8000", "40, 8000", "100, 8000"})
    void delaysDoubleUpToTheCap(int inARow, long delay) {
        assertEquals(delay, POLICY.delayMillis(inARow));
    }

    /**
     * A manual clock: crashes at the given times (ms), then the record, whether a replacement may start and
     * whether the group is degraded at the time {@code at}.
     */
    @ParameterizedTest(name = "crashes at [{0}], at {1}: row {2}, restart at {3}, may start {4}, degraded {5}")
    @CsvSource({
            // crash times,          at,     inARow, restartAt, mayStart, degraded
            "'0',                     0,      1,      0,         true,     false",
            "'0 100',                 100,    2,      1100,      false,    false",
            "'0 100',                 1100,   2,      1100,      true,     false",
            "'0 100 1200',            1200,   3,      3200,      false,    true",
            "'0 100 1200',            3200,   3,      3200,      true,     true",
            "'0 100 1200 3300',       3300,   4,      7300,      false,    true",
            // the group then runs without a crash for longer than the reset interval: no longer degraded
            "'0 100 1200 3300',       23301,  4,      7300,      true,     false",
            // and the next crash starts a new row, replaced at once
            "'0 100 1200 3300 30000', 30000,  1,      30000,     true,     false",
            // crashes spaced just inside the reset interval keep the row going
            "'0 20000 40000',         40000,  3,      42000,     false,    true"
    })
    void aRowOfCrashesBacksOffAndDegrades(String crashTimes, long at, int inARow, long restartAt, boolean mayStart,
            boolean degraded) {
        RestartBackoff.Crashes c = RestartBackoff.Crashes.NONE;
        for (long t : Arrays.stream(crashTimes.trim().split("\\s+")).mapToLong(Long::parseLong).toArray()) {
            c = POLICY.crashed(c, t);
        }
        assertEquals(inARow, c.inARow());
        assertEquals(restartAt, c.restartAtMillis());
        assertEquals(mayStart, POLICY.mayStart(c, at));
        assertEquals(degraded, POLICY.degraded(c, at));
    }

    @Test
    void aQuietGroupForgetsItsRow() {
        RestartBackoff.Crashes c = POLICY.crashed(POLICY.crashed(RestartBackoff.Crashes.NONE, 0), 10);
        assertEquals(c, POLICY.current(c, 20_010));
        assertEquals(RestartBackoff.Crashes.NONE, POLICY.current(c, 20_011));
        assertEquals(true, POLICY.mayStart(RestartBackoff.Crashes.NONE, Long.MIN_VALUE + 1));
    }

    @Test
    void settingsThatCouldNeverShowALoopAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RestartBackoff(1_000, 8_000, 3, 8_000));
        assertThrows(IllegalArgumentException.class, () -> new RestartBackoff(0, 8_000, 3, 20_000));
        assertThrows(IllegalArgumentException.class, () -> new RestartBackoff(1_000, 500, 3, 20_000));
        assertThrows(IllegalArgumentException.class, () -> new RestartBackoff(1_000, 8_000, 0, 20_000));
    }
}
