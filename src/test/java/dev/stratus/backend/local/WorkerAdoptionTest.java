package dev.stratus.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which recorded processes a restarted control service refuses to adopt, with real processes: the record must
 * name the same process (pid and start time), started to follow this service's owner file, running the worker.
 * The successful adoption of real workers is tested end to end in ServeIT.
 */
class WorkerAdoptionTest {
    static final WorkerGroupSpec SPEC = new WorkerGroupSpec("vad@p", List.of("vad"), Map.of("vad", 8),
            Map.of("vad", 2.5), 1);

    @TempDir
    Path tmp;

    static FleetRecord.Worker record(long pid, long start) {
        return new FleetRecord.Worker("vad@p-1", SPEC, pid, start, 1, ReplicaState.SERVING, true, 0, 0, 0, "w.log");
    }

    @Test
    void onlyTheSameProcessFollowingThisServiceIsAdopted() throws Exception {
        Path owner = tmp.resolve("owner");
        WorkerAdoption adoption = new WorkerAdoption(owner);
        Process stranger = AppCommand.start(new ProcessBuilder("sleep", "60"));
        Process follower = AppCommand.start(new ProcessBuilder("sleep", "60"), owner, 0);
        try {
            long strangerStart = OwnerRecord.of(stranger.toHandle()).orElseThrow().startedEpochMillis();
            long followerStart = OwnerRecord.of(follower.toHandle()).orElseThrow().startedEpochMillis();
            assertVerdict(adoption.check(record(stranger.pid(), strangerStart)), "does not follow " + owner);
            assertVerdict(adoption.check(record(follower.pid(), followerStart - 60_000)),
                    "now belongs to another process");
            assertVerdict(adoption.check(record(follower.pid(), followerStart)), "not the recorded worker");
            assertTrue(adoption.ours(follower.pid()));
            assertFalse(adoption.ours(stranger.pid()));
            assertEquals(List.of(follower.pid()), adoption.following().stream().map(ProcessHandle::pid).toList());
        } finally {
            stranger.destroyForcibly().waitFor();
            follower.destroyForcibly().waitFor();
        }
        assertVerdict(adoption.check(record(follower.pid(), 0)), "is gone");
    }

    private static void assertVerdict(WorkerAdoption.Verdict v, String reason) {
        assertFalse(v.adoptable(), v.toString());
        assertTrue(v.reason().contains(reason), v.reason());
    }

    @Test
    void theRecordReadsBackAndAnUnreadableOneIsReported() {
        FleetRecord r = new FleetRecord(List.of(record(42, 1_700_000_000_000L)), 7);
        assertEquals(r, FleetRecord.parse(r.toJson(), problem -> { }).orElseThrow());
        StringBuilder problem = new StringBuilder();
        Consumer<String> report = problem::append;
        assertTrue(FleetRecord.parse("[1, 2", report).isEmpty());
        assertTrue(problem.toString().contains("unreadable"), problem.toString());
    }
}
