package dev.stratus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.core.planning.Planner;
import dev.stratus.core.planning.SyntheticProfiles;
import dev.stratus.profiles.FileProfileStore;
import dev.stratus.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code stratus plan} on every example request, in process. Uses the committed profiles when all sample models
 * have one for the examples' hardware id, and otherwise synthetic profiles of about the same size written to a
 * temporary profile directory with the real file store.
 */
class PlanCommandTest {
    static final String HARDWARE = "cpu-amd-epyc-2c";
    static final List<String> SAMPLES = List.of("ocr-det", "ocr-cls", "ocr-rec", "vad", "wakeword");
    static final Path EXAMPLES = Path.of("examples/plan");

    @TempDir
    static Path temp;
    static Path profiles;

    @BeforeAll
    static void profiles() {
        Path committed = Path.of("profiles");
        if (SAMPLES.stream().allMatch(m -> Files.exists(committed.resolve(m).resolve(HARDWARE + ".yaml")))) {
            profiles = committed;
            return;
        }
        profiles = temp.resolve("profiles");
        FileProfileStore store = new FileProfileStore(profiles);
        store.save(SyntheticProfiles.linear("ocr-det", HARDWARE, 30, 15, 0.05, 16));
        store.save(SyntheticProfiles.linear("ocr-cls", HARDWARE, 0.6, 1.5, 0.05, 64));
        store.save(SyntheticProfiles.linear("ocr-rec", HARDWARE, 4, 8, 0.05, 64));
        store.save(SyntheticProfiles.linear("vad", HARDWARE, 0.05, 0.3, 0.1, 64));
        store.save(SyntheticProfiles.linear("wakeword", HARDWARE, 0.1, 0.2, 0.1, 1));
    }

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-model.yaml", "shared-pools.yaml", "edge-cloud.yaml", "ocr-pipeline.yaml"})
    void everyExamplePlansWithEveryPolicy(String example) throws Exception {
        for (String policy : Planner.POLICIES) {
            CliRun text = run("plan", "--request", EXAMPLES.resolve(example).toString(), "--profiles", profiles.toString(),
                    "--policy", policy);
            assertEquals(0, text.code(), policy + ": " + text.err());
            assertTrue(text.out().contains("Plan: policy " + policy), text.out());
            assertTrue(text.out().contains("Why:"), text.out());
            CliRun json = run("plan", "--request", EXAMPLES.resolve(example).toString(), "--profiles", profiles.toString(),
                    "--policy", policy, "--json");
            assertEquals(0, json.code(), json.err());
            JsonNode plan = new ObjectMapper().readTree(json.out());
            assertEquals(policy, plan.get("policy").asText());
            assertTrue(plan.get("costPerHour").asDouble() > 0);
            for (JsonNode m : plan.get("modelPlans")) {
                assertTrue(m.get("tuples").size() >= 1);
                JsonNode t = m.get("tuples").get(0);
                for (String field : List.of("pool", "batch", "maxQueueDelayMs", "replicas", "dispatch", "ratePerSecond")) {
                    assertTrue(t.has(field), field + " missing in " + t);
                }
            }
        }
    }

    @Test
    void pipelineExampleShowsStageBudgetsAndFanOutRates() throws Exception {
        CliRun r = run("plan", "--request", EXAMPLES.resolve("ocr-pipeline.yaml").toString(), "--profiles",
                profiles.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode plan = new ObjectMapper().readTree(r.out());
        JsonNode p = plan.get("pipelines").get(0);
        double sum = 0;
        for (JsonNode b : p.get("stageBudgetsMs")) {
            sum += b.asDouble();
        }
        assertTrue(sum <= 2000 + 1e-6, p.toString());
        for (JsonNode m : plan.get("modelPlans")) {
            double rate = 0;
            for (JsonNode t : m.get("tuples")) {
                rate += t.get("ratePerSecond").asDouble();
            }
            assertEquals(m.get("model").asText().equals("ocr-det") ? 4 : 32, rate, 1e-6, m.toString());
        }
    }

    @Test
    void exactSolverRunsOnTheSingleModelExample() {
        CliRun r = run("plan", "--request", EXAMPLES.resolve("single-model.yaml").toString(), "--profiles",
                profiles.toString(), "--solver", "exact");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("solver exact"), r.out());
    }

    @Test
    void infeasibleRequestExitsOneNamingTheModel() throws Exception {
        Path request = temp.resolve("tight.yaml");
        Files.writeString(request, Files.readString(EXAMPLES.resolve("single-model.yaml"))
                .replace("latencyMs: 200", "latencyMs: 5"));
        CliRun r = run("plan", "--request", request.toString(), "--profiles", profiles.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: model ocr-rec: SLO 5.0 ms is below l(1)="), r.err());
    }

    @Test
    void badRequestFieldExitsOneNamingTheField() throws Exception {
        Path request = temp.resolve("bad.yaml");
        Files.writeString(request, Files.readString(EXAMPLES.resolve("single-model.yaml"))
                .replace("maxReplicas: 20", "maxReplicas: -1"));
        CliRun r = run("plan", "--request", request.toString(), "--profiles", profiles.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("pools[0].maxReplicas: must be >= 1, got -1"), r.err());
    }

    @Test
    void stratusPlansAreVerifiedBySimulationUnlessAskedNotTo() {
        String request = EXAMPLES.resolve("shared-pools.yaml").toString();
        CliRun verified = run("plan", "--request", request, "--profiles", profiles.toString());
        assertEquals(0, verified.code(), verified.err());
        assertTrue(verified.out().contains("Verified by simulation: chosen: "), verified.out());
        assertTrue(verified.out().contains("poisson") && verified.out().contains("Runner-up: "), verified.out());

        CliRun analytic = run("plan", "--request", request, "--profiles", profiles.toString(), "--no-verify");
        assertEquals(0, analytic.code(), analytic.err());
        assertTrue(!analytic.out().contains("Verified by simulation"), analytic.out());

        CliRun noBudget = run("plan", "--request", request, "--profiles", profiles.toString(), "--verify-budget", "0");
        assertEquals(0, noBudget.code(), noBudget.err());
        assertTrue(noBudget.out().contains("not verified: one check"), noBudget.out());

        CliRun both = run("plan", "--request", request, "--profiles", profiles.toString(), "--verify", "poisson,bursty");
        assertEquals(0, both.code(), both.err());
        assertTrue(both.out().contains("bursty"), both.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("plan", "--request", "x.yaml", "--verify", "sometimes").code());
        assertEquals(2, run("plan", "--request", EXAMPLES.resolve("shared-pools.yaml").toString(), "--profiles",
                profiles.toString(), "--verify-budget", "-1").code());
        assertEquals(2, run("plan", "--request", "x.yaml", "--policy", "round-robin").code());
        assertEquals(2, run("plan", "--request", "x.yaml", "--solver", "magic").code());
        assertEquals(2, run("plan").code());
        CliRun r = run("plan", "--request", EXAMPLES.resolve("shared-pools.yaml").toString(), "--profiles",
                profiles.toString(), "--solver", "exact", "--policy", "nexus");
        assertEquals(2, r.code(), r.err());
    }
}
