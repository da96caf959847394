package dev.stratus.simulation.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.simulation.BatchRule;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.SimDispatch;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.arrival.MmppArrivals;
import dev.stratus.core.simulation.arrival.TraceReplayArrivals;
import dev.stratus.profiles.FileProfileStore;
import dev.stratus.simulation.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioReaderTest {
    private final ScenarioReader reader = new ScenarioReader(Optional.empty());

    private static final String BASE = """
            durationSeconds: 60
            pools: [{name: gpu, costPerHour: 1.5, networkRttMs: 2}]
            models:
              - name: m
                sloMs: 50
                latency: {alphaMs: 1, betaMs: 2, cv: 0.1, maxBatch: 16}
                arrival: {process: poisson, rate: 100}
            """;

    private Scenario parse(String yaml) {
        return reader.parse(yaml, Path.of("examples/simulate"), "test");
    }

    @Test
    void everyExampleScenarioParses() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples/simulate"))) {
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertTrue(yamls.size() >= 4);
            ScenarioReader withProfiles = new ScenarioReader(Optional.of(new FileProfileStore(Path.of("profiles"))));
            for (Path p : yamls) {
                Scenario s = withProfiles.read(p);
                assertTrue(s.policyNames().containsAll(List.of("triton-hpa", "kpa", "clipper-aimd")), p.toString());
                for (String name : s.policyNames()) {
                    s.policy(name).orElseThrow().configure(s.workload()).toConfig(s.workload());
                }
            }
        }
    }

    @Test
    void readsModelsPoolsAndStaticDeployments() {
        Scenario s = parse(BASE + """
                deployments:
                  mine:
                    groups:
                      - pool: gpu
                        replicas: 3
                        dispatch: round-robin
                        formation: sliding-window
                        models: [{model: m, batch: 8, maxQueueDelayMs: 4}]
                """);
        SimModel m = s.workload().requireModel("m");
        assertEquals(50, m.sloMs());
        assertEquals(0.99, m.targetAttainment());
        assertEquals(16, m.maxBatch());
        assertEquals(10, m.serviceTime().meanMs(8), 1e-12);
        assertEquals(1, s.seed());
        assertEquals(List.of("mine", "triton-hpa", "kpa", "clipper-aimd"), s.policyNames());
        ReplicaGroup g = s.policy("mine").orElseThrow().configure(s.workload()).groups().get(0);
        assertEquals(3, g.replicas());
        assertEquals(1.5, g.costPerHour());
        assertEquals(2, g.networkRttMs());
        assertEquals(SimDispatch.ROUND_ROBIN, g.dispatch());
        assertEquals(BatchRule.SLIDING_WINDOW, g.formation());
        assertEquals(8, g.members().get(0).batch());
    }

    @Test
    void dynamicBaselinesSizeTheirStartFromTheMeanRate() {
        Scenario s = parse(BASE);
        // triton-hpa: batch 8, l(8) = 10 ms → 800/s; at 70 %: ceil(100 / 560) = 1.
        ReplicaGroup g = s.policy("triton-hpa").orElseThrow().configure(s.workload()).groups().get(0);
        assertEquals(1, g.replicas());
        assertEquals(8, g.members().get(0).batch());
        assertEquals(BatchRule.FIFO, g.formation());
        // clipper-aimd explores up to the largest batch.
        assertEquals(16, s.policy("clipper-aimd").orElseThrow().configure(s.workload()).groups().get(0)
                .members().get(0).batch());
    }

    @Test
    void readsArrivalProcessesIncludingAzureReplay() {
        Scenario s = parse("""
                durationSeconds: 600
                pools: [{name: gpu, costPerHour: 1}]
                models:
                  - name: a
                    sloMs: 50
                    latency: {alphaMs: 1, betaMs: 2}
                    arrival: {process: mmpp, lowRate: 10, highRate: 100, meanLowSeconds: 30, meanHighSeconds: 5}
                  - name: b
                    sloMs: 50
                    latency: {table: [{batch: 1, meanMs: 3, stdMs: 0.1}, {batch: 2, meanMs: 4}]}
                    arrival: {process: azure-functions-2019, file: azure-functions-sample.csv, function: top,
                              startMinute: 600, minutes: 10, meanRate: 200}
                deployments:
                  s: {groups: [{pool: gpu, models: [{model: a, batch: 4}, {model: b, batch: 2}]}]}
                """);
        assertInstanceOf(MmppArrivals.class, s.workload().requireModel("a").arrivals());
        var replay = assertInstanceOf(TraceReplayArrivals.class, s.workload().requireModel("b").arrivals());
        assertEquals(10, replay.countsPerMinute().length);
        assertEquals(200, replay.meanRate(600), 1e-9);
        assertEquals(2, s.workload().requireModel("b").maxBatch());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(BASE.replace("sloMs: 50", "sloMs: fast"), "models[0].sloMs: expected a number"),
                Arguments.of(BASE.replace("durationSeconds: 60", ""), "durationSeconds: required"),
                Arguments.of(BASE.replace("process: poisson", "process: weibull"), "models[0].arrival.process: unknown arrival process 'weibull'"),
                Arguments.of(BASE.replace("rate: 100", "rate: -5"), "models[0].arrival.rate: must be > 0"),
                Arguments.of(BASE.replace("cv: 0.1", "cv: 0.1, colour: red"), "models[0].latency.colour: unknown field"),
                Arguments.of(BASE + "deployments: {x: {groups: [{pool: tpu, models: [{model: m}]}]}}", "deployments.x.groups[0].pool: unknown pool 'tpu'"),
                Arguments.of(BASE + "deployments: {x: {groups: [{pool: gpu, models: [{model: q}]}]}}", "deployments.x.groups[0].models[0].model: unknown model 'q'"),
                Arguments.of(BASE + "deployments: {x: {groups: [{pool: gpu, models: [{model: m, batch: 99}]}]}}", "deployments.x.groups: model m: batch 99 exceeds"),
                Arguments.of(BASE + "deployments: {x: {groups: [{pool: gpu, dispatch: random, models: [{model: m}]}]}}", "deployments.x.groups[0].dispatch: expected batch-aware or round-robin"),
                Arguments.of(BASE + "deployments: {kpa: {groups: []}}", "deployments.kpa: kpa is a dynamic baseline"),
                Arguments.of(BASE + "baselines: {triton-hpa: {tolerance: 0.1, targetUtilization: 0.5}}", "baselines.triton-hpa.targetUtilization: unknown field"),
                Arguments.of(BASE.replace("latency: {alphaMs: 1, betaMs: 2, cv: 0.1, maxBatch: 16}",
                        "latency: {profile: {model: m, hardwareId: h}}"), "models[0].latency.profile: profile references need a profile store"),
                Arguments.of("durationSeconds: [", "not valid YAML"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errors")
    void errorsNameTheField(String yaml, String message) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> parse(yaml));
        assertTrue(e.getMessage().contains(message), "got: " + e.getMessage());
    }
}
