package dev.stratus.control.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.stratus.control.driver.ServiceDriver.State;
import dev.stratus.control.driver.ServiceDriver.Verdict;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupTarget;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanTuple;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Tier;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.profiles.FileProfileStore;
import dev.stratus.resource.Condition;
import dev.stratus.resource.InferenceModelStatus;
import dev.stratus.resource.ObservedTraffic;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The status aggregator, rule by rule: conditions, transition times, generation, observed figures, cost. */
class StatusAggregatorTest {
    static final Profile VAD = FileProfileStore.read(Path.of("profiles/vad/cpu-amd-epyc-2c.yaml"));
    static final Pool POOL = new Pool("p", Tier.CLOUD, "", "cpu", "cpu-amd-epyc-2c", 1, 0.5, 8, 1, 4096);
    static final WorkerGroupSpec GROUP = new WorkerGroupSpec("vad@p", List.of("vad"), Map.of("vad", 8),
            Map.of("vad", 2.0), 1);
    static final Plan PLAN = new Plan("stratus", "heuristic", List.of(new ModelPlan("vad", List.of(new PlanTuple("p",
            8, 2, 2, DispatchPolicy.BATCH_AWARE, 100, 9.5, "")), 50, 9.5, 0)), List.of(), List.of(), 1.0, List.of());
    static final FleetTarget TARGET = new FleetTarget(List.of(new GroupTarget(GROUP, 2, 1)));

    static Replica replica(String id, ReplicaState state) {
        return new Replica(id, "vad@p", "10.0.0.1", 8080, state, List.of("vad"), 0, 0);
    }

    static InferenceModelStatus status(Verdict v, List<Replica> replicas, InferenceModelStatus previous, long now,
            long generation, Optional<StatusAggregator.Traffic> traffic) {
        return StatusAggregator.model(new StatusAggregator.ModelInputs("vad", generation, previous, now, v,
                v.state() == State.WAITING_FOR_PROFILE ? List.of() : List.of(VAD), List.of(), Optional.of(PLAN),
                List.of(POOL), TARGET, replicas, Optional.empty(), traffic, 0.99, Optional.empty()));
    }

    static String of(InferenceModelStatus s, String type) {
        Condition c = s.conditions().stream().filter(x -> x.type().equals(type)).findFirst().orElseThrow();
        return c.status() + "/" + c.reason();
    }

    static final Verdict ADMITTED = new Verdict("InferenceModel", "vad", State.ADMITTED, "Admitted", "");

    /** Each row: the driver's verdict and the replicas by state; the four conditions that follow. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "serving as planned | ADMITTED            | Admitted        | SERVING,SERVING,STANDBY | True/ProfileFound | True/Planned | True/ReplicasReady",
            "still starting     | ADMITTED            | Admitted        | SERVING,STARTING        | True/ProfileFound | True/Planned | False/ReplicasStarting",
            "waiting to profile | WAITING_FOR_PROFILE | ProfilePending  |                         | False/ProfilePending | False/AwaitingProfile | False/NotPlanned",
            "unknown pool       | REJECTED            | UnknownPool     |                         | Unknown/UnknownPool | False/UnknownPool | False/NotPlanned",
            "SLO too tight      | REJECTED            | NoFeasiblePlan  |                         | True/ProfileFound | False/NoFeasiblePlan | False/NotPlanned",
    })
    void conditionsFollowTheVerdictAndTheReplicas(String name, State state, String reason, String replicas,
            String profiled, String planned, String ready) {
        List<Replica> rs = replicas == null ? List.of() : java.util.Arrays.stream(replicas.split(","))
                .map(s -> replica(s + Math.random(), ReplicaState.valueOf(s))).toList();
        InferenceModelStatus s = status(new Verdict("InferenceModel", "vad", state, reason, "why"), rs, null, 0, 3,
                Optional.empty());
        assertEquals(profiled, of(s, "Profiled"));
        assertEquals(planned, of(s, "Planned"));
        assertEquals(ready, of(s, "Ready"));
        assertEquals("Unknown/NoTraffic", of(s, "SLOMet"));
        s.conditions().forEach(c -> assertEquals(3L, c.observedGeneration()));
        assertEquals(3L, s.observedGeneration());
    }

    @Test
    void sameInputsGiveAnEqualStatusAndTransitionTimesMoveOnlyWithTheStatus() {
        List<Replica> starting = List.of(replica("a", ReplicaState.STARTING));
        InferenceModelStatus first = status(ADMITTED, starting, null, 1_000, 1, Optional.empty());
        InferenceModelStatus again = status(ADMITTED, starting, first, 60_000, 1, Optional.empty());
        assertEquals(first, again, "a recomputation with nothing changed writes nothing");
        List<Replica> serving = List.of(replica("a", ReplicaState.SERVING), replica("b", ReplicaState.SERVING));
        InferenceModelStatus ready = status(ADMITTED, serving, again, 90_000, 1, Optional.empty());
        Condition r = ready.conditions().stream().filter(c -> c.type().equals("Ready")).findFirst().orElseThrow();
        Condition p = ready.conditions().stream().filter(c -> c.type().equals("Planned")).findFirst().orElseThrow();
        assertEquals(Instant.ofEpochMilli(90_000).toString(), r.lastTransitionTime());
        assertEquals(Instant.ofEpochMilli(1_000).toString(), p.lastTransitionTime());
        assertEquals(1.5, ready.costPerHour(), 1e-9, "(2 serving + 1 standby) x 0.5/h");
    }

    @Test
    void observedFiguresMoveOnlyPastTheirTolerancesAndAtMostOncePerPeriod() {
        ObservedTraffic before = StatusAggregator.observed(null, Optional.of(new StatusAggregator.Traffic(
                new TrafficSample("vad", 1000, 0, 995, 1000, 3, 9, 0), 10, 0)), 0);
        assertEquals(100.0, before.ratePerSecond());
        assertEquals(0.995, before.attainment());
        long later = StatusAggregator.OBSERVATION_PERIOD_MILLIS + 1;
        assertSame(before, StatusAggregator.observed(before, Optional.of(new StatusAggregator.Traffic(
                new TrafficSample("vad", 1020, 0, 1015, 1020, 3, 9.4, 0), 10, later)), later), "noise: kept");
        assertSame(before, StatusAggregator.observed(before, Optional.of(new StatusAggregator.Traffic(
                new TrafficSample("vad", 2000, 0, 1990, 2000, 3, 9, 0), 10, 1000)), 1000), "too soon: kept");
        ObservedTraffic moved = StatusAggregator.observed(before, Optional.of(new StatusAggregator.Traffic(
                new TrafficSample("vad", 2000, 0, 1990, 2000, 3, 9, 0), 10, later)), later);
        assertEquals(200.0, moved.ratePerSecond());
        assertNull(StatusAggregator.observed(null, Optional.empty(), 0));
    }
}
