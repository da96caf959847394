package dev.stratus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
    void processCpuAgreesWithTheJvmsOwnCountOfThisThread() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double before = ProcessCpu.self();
        long threadBefore = threads.getCurrentThreadCpuTime();
        // Spin until this thread has had 0.3 s of CPU (however long a loaded machine takes to give it).
        long wallLimit = System.nanoTime() + 60_000_000_000L;
        while (threads.getCurrentThreadCpuTime() - threadBefore < 300_000_000L && System.nanoTime() < wallLimit) {
            Math.sqrt(System.nanoTime());
        }
        double thread = (threads.getCurrentThreadCpuTime() - threadBefore) / 1e9;
        double process = ProcessCpu.self() - before;
        // The process's count includes this thread's (and the JVM's other threads'); /proc counts in 10 ms ticks.
        assertTrue(thread >= 0.3, "the thread got its CPU time: " + thread);
        assertTrue(process >= thread - 0.03, "process CPU " + process + " s covers this thread's " + thread + " s");
    }
}
