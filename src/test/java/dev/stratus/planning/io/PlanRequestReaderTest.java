package dev.stratus.planning.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlanRequestReaderTest {
    static final String POOL = "pools:\n  - {name: cpu, tier: cloud, hardwareId: hw, costPerHour: 1, maxReplicas: 4, memoryMb: 1024}\n";
    static final String MODEL = "models:\n  - {name: m, slo: {latencyMs: 50}, ratePerSecond: 10}\n";

    @Test
    void readsEveryFieldWithDefaults() {
        PlanRequest r = PlanRequestReader.parse("""
                pools:
                  - {name: edge, tier: edge, site: s1, accelerator: cpu, hardwareId: hw, latencyScale: 0.5,
                     costPerHour: 0.2, maxReplicas: 2, networkRttMs: 3, memoryMb: 2048}
                  - {name: cpu, tier: cloud, hardwareId: hw, costPerHour: 1, maxReplicas: 4, memoryMb: 1024}
                models:
                  - {name: a, slo: {latencyMs: 50, percentile: 95, targetAttainment: 0.9}, ratePerSecond: 10,
                     allowedPools: [edge], edgePreference: true, memoryMb: 100, maxBatch: 8}
                  - {name: b}
                  - {name: c}
                pipelines:
                  - {name: p, stages: [b, c], edges: [{from: b, to: c, fanOut: 8}], sloMs: 300, ratePerSecond: 2}
                """);
        assertEquals(Tier.EDGE, r.pools().get(0).tier());
        assertEquals(0.5, r.pools().get(0).latencyScale());
        assertEquals(1.0, r.pools().get(1).latencyScale());
        assertEquals(0.0, r.pools().get(1).networkRttMs());
        assertEquals(95, r.models().get(0).slo().percentile());
        assertTrue(r.models().get(0).edgePreference());
        assertEquals(8, r.models().get(0).maxBatch());
        assertEquals(PlanRequestReader.DEFAULT_MAX_BATCH, r.models().get(1).maxBatch());
        assertFalse(r.models().get(1).ownSlo().isPresent());
        assertEquals(16.0, r.totalRates().get("c"));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(POOL + "models:\n  - {name: m, slo: {latencyMs: 50}}\n  - {name: n, slo: {latencyMs: -5}, ratePerSecond: 1}\n",
                        "models[1].slo.latencyMs: must be > 0, got -5.0"),
                Arguments.of(POOL + "models:\n  - {name: m, slo: {latencyMs: 50, percentile: 100}, ratePerSecond: 1}\n",
                        "models[0].slo.percentile: must be in (0, 100), got 100.0"),
                Arguments.of("pools:\n  - {name: cpu, tier: cloud, hardwareId: hw, costPerHour: 1, maxReplicas: 0, memoryMb: 1}\n" + MODEL,
                        "pools[0].maxReplicas: must be >= 1, got 0"),
                Arguments.of("pools:\n  - {name: cpu, tier: cloud, hardwareId: hw, costPerHr: 1, maxReplicas: 1, memoryMb: 1}\n" + MODEL,
                        "pools[0].costPerHr: unknown field"),
                Arguments.of("pools:\n  - {name: cpu, tier: space, hardwareId: hw, costPerHour: 1, maxReplicas: 1, memoryMb: 1}\n" + MODEL,
                        "pools[0].tier: must be edge or cloud, got 'space'"),
                Arguments.of("pools:\n  - {name: cpu, tier: cloud, hardwareId: hw, costPerHour: lots, maxReplicas: 1, memoryMb: 1}\n" + MODEL,
                        "pools[0].costPerHour: must be a number, got 'lots'"),
                Arguments.of("pools:\n  - {name: cpu, tier: cloud, costPerHour: 1, maxReplicas: 1, memoryMb: 1}\n" + MODEL,
                        "pools[0].hardwareId: must be set"),
                Arguments.of(POOL + "models:\n  - {name: m, slo: {latencyMs: 50}, ratePerSecond: 10, allowedPools: [gpu]}\n",
                        "models[0].allowedPools: unknown pool 'gpu'"),
                Arguments.of(POOL + "models:\n  - {name: m, ratePerSecond: 10}\n",
                        "models[0].slo: must be set (the model is in no pipeline)"),
                Arguments.of(POOL + "models:\n  - {name: m, slo: {latencyMs: 50}}\n",
                        "models[0].ratePerSecond: must be > 0 (no pipeline sends it load)"),
                Arguments.of(POOL + MODEL + "pipelines:\n  - {name: p, stages: [m, x], sloMs: 100, ratePerSecond: 1}\n",
                        "pipelines[0].stages: 'x' is not one of the models"),
                Arguments.of(POOL + "models:\n  - {name: a}\n  - {name: b}\npipelines:\n  - {name: p, stages: [a, b], sloMs: 100, "
                        + "ratePerSecond: 1, edges: [{from: a, to: b}, {from: b, to: a}]}\n",
                        "pipelines[0].edges: the stages form a cycle"),
                Arguments.of(POOL + "models:\n  - {name: a}\n  - {name: b}\npipelines:\n  - {name: p, stages: [a, b], sloMs: 100, "
                        + "ratePerSecond: 1, edges: [{from: a, to: b, fanOut: 0}]}\n",
                        "pipelines[0].edges[0].fanOut: must be > 0, got 0.0"),
                Arguments.of(POOL + "models:\n  - {name: m, slo: {latencyMs: 50}, ratePerSecond: 10, maxBatch: 2.5}\n",
                        "models[0].maxBatch: must be an integer, got '2.5'"),
                Arguments.of(POOL + MODEL + MODEL.substring("models:\n".length()),
                        "models[1].name: duplicate model 'm'"),
                Arguments.of("pools: []\n" + MODEL, "pools: at least one pool is needed"),
                Arguments.of("- just a list\n", "the document must be a mapping"),
                Arguments.of("pools: [\n", "not valid YAML or JSON"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errors")
    void errorsNameTheField(String document, String expected) {
        PlanRequestException e = assertThrows(PlanRequestException.class, () -> PlanRequestReader.parse(document));
        assertTrue(e.getMessage().startsWith(expected), "got: " + e.getMessage());
    }

    @Test
    void readsJsonAndReportsMissingFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.json");
        Files.writeString(file, """
                {"pools": [{"name": "cpu", "tier": "cloud", "hardwareId": "hw", "costPerHour": 1, "maxReplicas": 4,
                            "memoryMb": 1024}],
                 "models": [{"name": "m", "slo": {"latencyMs": 50}, "ratePerSecond": 10}]}
                """);
        assertEquals("m", PlanRequestReader.read(file).models().get(0).name());
        PlanRequestException e = assertThrows(PlanRequestException.class, () -> PlanRequestReader.read(dir.resolve("no.yaml")));
        assertTrue(e.getMessage().endsWith("does not exist"), e.getMessage());
    }
}
