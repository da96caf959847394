package dev.stratus.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessPriorityTest {

    @ParameterizedTest(name = "{0}, priority can be raised later: {1} -> nice {2}")
    @CsvSource({
            "SERVE,   true,  0",
            "SERVE,   false, 0",
            "STANDBY, true,  10",
            "STANDBY, false, 0",   // it could not be raised when promoted: it starts where it will serve
            "PROFILE, true,  10",
            "PROFILE, false, 10"
    })
    void onlyWorkersThatServeNothingYetStartLow(ProcessPriority.Purpose purpose, boolean canRaise, int nice) {
        assertEquals(nice, ProcessPriority.niceness(purpose, canRaise));
    }

    @Test
    void aWorkerRunsInItsOwnProcessGroupAtTheRequestedPriority() throws Exception {
        List<String> wrapped = ProcessPriority.wrap(List.of("sleep", "30"), 10);
        assertEquals(List.of("sleep", "30"), wrapped.subList(wrapped.size() - 2, wrapped.size()));
        Process p = new ProcessBuilder(wrapped).start();
        try {
            Thread.sleep(200); // nice and setsid exec into sleep: same pid
            assertEquals(p.pid(), ProcessPriority.processGroup(p.pid()), "its own process group");
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(p.pid()),
                    "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // nice -n is relative: a test run that is itself niced (nice ./mvnw ...) starts the child that much lower.
            String self = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            int own = Integer.parseInt(self.substring(self.lastIndexOf(')') + 2).split(" ")[16]);
            assertEquals(Integer.toString(Math.min(19, own + 10)), fields[16], "nice value (field 19 of /proc/PID/stat)");
            if (ProcessPriority.canRaise()) {
                assertTrue(ProcessPriority.raise(p.pid()));
                stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "stat"));
                assertEquals("0", stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
            }
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertTrue(ProcessPriority.processGroup(ProcessHandle.current().pid()) > 0);
        assertEquals(-1, ProcessPriority.processGroup(Long.MAX_VALUE));
    }
}
