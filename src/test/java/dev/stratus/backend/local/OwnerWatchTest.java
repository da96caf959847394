package dev.stratus.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OwnerWatchTest {

    /** A manual clock: the owner's liveness at each poll, then when the process stops (or -1: never). */
    @ParameterizedTest(name = "grace {0} ms, owner alive at polls [{1}] (250 ms apart): stops at {2}")
    @CsvSource({
            // grace, alive per poll,          stops at (ms), orphaned since at the end
            "0,       'y y n',                  500,  500",
            "0,       'y y y y',                -1,   -1",
            "1000,    'y n n n n n',            1250, 250",
            "1000,    'y n n n y n n',          -1,   1250",   // adopted at 1000 ms: the count starts again
            "1000,    'n n n n n',              1000, 0"
    })
    void anOrphanStopsAfterItsGraceUnlessAdopted(long grace, String alive, long stopsAt, long since) {
        Long orphaned = null;
        long stopped = -1;
        String[] polls = alive.trim().split("\\s+");
        for (int i = 0; i < polls.length && stopped < 0; i++) {
            long now = i * 250L;
            orphaned = OwnerWatch.orphanedSince(orphaned, polls[i].equals("y"), now);
            if (OwnerWatch.expired(orphaned, now, grace)) {
                stopped = now;
            }
        }
        assertEquals(stopsAt, stopped);
        assertEquals(since, orphaned == null ? -1 : orphaned);
    }

    @Test
    void ownerRecordsNameAProcessByPidAndStartTime() {
        OwnerRecord self = OwnerRecord.self();
        assertTrue(self.alive());
        assertEquals(Optional.of(self), OwnerRecord.parse(self.format()));
        assertFalse(new OwnerRecord(self.pid(), self.startedEpochMillis() - 60_000).alive(),
                "the same pid started at another time is another process");
        assertEquals(Optional.empty(), OwnerRecord.parse("12 x"));
        assertEquals(Optional.empty(), OwnerRecord.parse(""));
    }
}
