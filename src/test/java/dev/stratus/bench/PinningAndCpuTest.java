package dev.stratus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The data-plane benchmark's core layouts, and its CPU reading from /proc. */
class PinningAndCpuTest {
    record Layout(int cores, String client, String worker) {
    }

    @Test
    void theClientGetsAQuarterOfTheCoresAndTheWorkerTheRest() {
        for (Layout l : List.of(new Layout(2, "0", "1"), new Layout(4, "0", "1-3"), new Layout(8, "0-1", "2-7"),
                new Layout(16, "0-3", "4-15"))) {
            CorePinning p = CorePinning.split(l.cores());
            assertTrue(p.pinned());
            assertEquals(l.client(), p.clientCores(), l.cores() + " cores");
            assertEquals(l.worker(), p.workerCores(), l.cores() + " cores");
        }
        assertEquals("0-7", CorePinning.none(8).workerCores());
        assertEquals("0", CorePinning.none(1).clientCores());
        assertThrows(IllegalArgumentException.class, () -> CorePinning.split(1));
    }

    @Test
    void processCpuCountsThisProcesssWork() throws Exception {
        double before = ProcessCpu.self();
        long end = System.nanoTime() + 300_000_000L;
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
        }
        double used = ProcessCpu.self() - before;
        // 0.3 s of spinning shows as CPU time even on a loaded machine (descheduled time is not counted, so allow
        // for a share of it).
        assertTrue(used >= 0.05 && spins > 0, "CPU seconds used: " + used);
    }
}
