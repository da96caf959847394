package dev.stratus.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.autoscaling.EventLog;
import dev.stratus.core.autoscaling.RestartBackoff;
import dev.stratus.core.autoscaling.ScalingEvent;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupStatus;
import dev.stratus.core.model.fleet.GroupTarget;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import dev.stratus.testing.SampleModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local backend with real worker processes: warm pool, promotion, refill, crash replacement, drain, and a
 * worker that crashes at every start.
 */
class LocalWorkerFleetIT {
    static final WorkerGroupSpec VAD = new WorkerGroupSpec("vad-g", List.of("vad"), Map.of("vad", 4),
            Map.of("vad", 1.0), 1);

    @TempDir
    Path tmp;

    @Test
    void warmPoolPromotesAtOnceRefillsReplacesAndDrains() throws Exception {
        SampleModels.ensureFetched();
        EventLog events = new EventLog();
        try (LocalWorkerFleet fleet = new LocalWorkerFleet(tmp, List.of(), events::record)) {
            fleet.apply(new FleetTarget(List.of(new GroupTarget(VAD, 1, 1))));
            await(fleet, rs -> count(rs, ReplicaState.SERVING) == 1 && count(rs, ReplicaState.STANDBY) == 1, 120);

            // Scale up by one: the standby serves at once, no cold start; the pool is refilled behind it.
            long before = System.nanoTime();
            fleet.apply(new FleetTarget(List.of(new GroupTarget(VAD, 2, 1))));
            await(fleet, rs -> count(rs, ReplicaState.SERVING) == 2, 5);
            double promotionMs = (System.nanoTime() - before) / 1e6;
            assertTrue(promotionMs < 2000, "promotion took " + promotionMs + " ms");
            assertTrue(kinds(events).contains(ScalingEvent.Kind.PROMOTE_WARM), events.recent(20).toString());
            await(fleet, rs -> count(rs, ReplicaState.STANDBY) == 1 && count(rs, ReplicaState.SERVING) == 2, 120);
            assertTrue(kinds(events).contains(ScalingEvent.Kind.REFILL_WARM));

            // kill -9 a serving replica: reported, replaced without anyone asking.
            Replica victim = fleet.replicas().stream().filter(r -> r.state() == ReplicaState.SERVING).findFirst()
                    .orElseThrow();
            fleet.process(victim.id()).orElseThrow().destroyForcibly();
            await(fleet, rs -> rs.stream().noneMatch(r -> r.id().equals(victim.id())), 30);
            assertTrue(kinds(events).contains(ScalingEvent.Kind.RESTART), events.recent(20).toString());
            await(fleet, rs -> count(rs, ReplicaState.SERVING) == 2 && count(rs, ReplicaState.STANDBY) == 1, 120);

            // Scale down to one serving and no standby: surplus replicas drain and their processes end.
            fleet.apply(new FleetTarget(List.of(new GroupTarget(VAD, 1, 0))));
            await(fleet, rs -> rs.size() == 1 && count(rs, ReplicaState.SERVING) == 1, 60);
            assertTrue(kinds(events).contains(ScalingEvent.Kind.DRAIN));
        }
    }

    @Test
    void aWorkerThatKeepsCrashingIsRestartedWithBackOffAndItsGroupDegrades() throws Exception {
        SampleModels.ensureFetched();
        // Every start fails: the catalog contradicts the model, so the worker exits with status 1 while loading.
        Path catalog = SampleModels.contradictingCatalog(tmp);
        RestartBackoff backoff = new RestartBackoff(1_000, 4_000, 3, 60_000);
        EventLog events = new EventLog();
        WorkerGroupSpec cls = new WorkerGroupSpec("ocr-cls-g", List.of("ocr-cls"), Map.of("ocr-cls", 1),
                Map.of("ocr-cls", 1.0), 1);
        try (LocalWorkerFleet fleet = new LocalWorkerFleet(tmp, List.of("--catalog", catalog.toString()),
                events::record, LocalWorkerFleet.Settings.defaults().withBackoff(backoff,
                LocalWorkerFleet.Settings.START_TIMEOUT))) {
            fleet.apply(new FleetTarget(List.of(new GroupTarget(cls, 1, 0))));
            long deadline = System.nanoTime() + 240_000_000_000L;
            while (fleet.groups().stream().noneMatch(g -> g.health() == GroupStatus.Health.DEGRADED)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            GroupStatus g = fleet.groups().get(0);
            assertEquals(GroupStatus.Health.DEGRADED, g.health(), fleet.groups() + "\n" + events.recent(30));
            assertTrue(g.crashesInARow() >= 3 && g.message().contains("exited with status 1"), g.toString());
            assertEquals(1, g.targetServing());
            while (kinds(events).stream().filter(k -> k == ScalingEvent.Kind.START_COLD).count() < 4
                    && System.nanoTime() < deadline) {
                Thread.sleep(100); // the replacement after the third crash, 2 s later
            }
        }
        // One RESTART event per crash, and each replacement waited its back-off: none, then 1 s, then 2 s.
        // (Lower bounds only: a loaded machine makes every start later, never earlier.)
        List<ScalingEvent> all = events.recent(100);
        List<ScalingEvent> restarts = all.stream().filter(e -> e.kind() == ScalingEvent.Kind.RESTART).toList();
        List<ScalingEvent> starts = all.stream().filter(e -> e.kind() == ScalingEvent.Kind.START_COLD).toList();
        assertTrue(restarts.size() >= 3, all.toString());
        for (int i = 0; i < 3; i++) {
            assertTrue(restarts.get(i).reason().contains("crash " + (i + 1) + " in a row"), restarts.get(i).reason());
        }
        assertTrue(restarts.get(2).reason().contains("group DEGRADED: 3 crashes in a row"), restarts.get(2).reason());
        restarts.forEach(e -> System.out.println("crash loop: " + e.reason()));
        assertTrue(starts.size() >= 4, all.toString());
        for (int i = 0; i < 3; i++) {
            long waited = starts.get(i + 1).atMillis() - restarts.get(i).atMillis();
            System.out.printf("crash loop: replacement %d started %d ms after crash %d (back-off %d ms)%n", i + 1,
                    waited, i + 1, backoff.delayMillis(i + 1));
            assertTrue(waited >= backoff.delayMillis(i + 1), "replacement " + (i + 1) + " started " + waited
                    + " ms after the crash, back-off " + backoff.delayMillis(i + 1) + " ms");
        }
    }

    private static long count(List<Replica> rs, ReplicaState state) {
        return rs.stream().filter(r -> r.state() == state).count();
    }

    private static List<ScalingEvent.Kind> kinds(EventLog log) {
        return log.recent(100).stream().map(ScalingEvent::kind).toList();
    }

    private static void await(LocalWorkerFleet fleet, Predicate<List<Replica>> condition, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.test(fleet.replicas())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("fleet did not converge in " + seconds + " s: " + fleet.replicas());
    }
}
