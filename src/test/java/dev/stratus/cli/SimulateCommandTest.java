package dev.stratus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    @TempDir
    Path dir;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path scenario() throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                durationSeconds: 60
                pools: [{name: gpu, costPerHour: 2.0}]
                models:
                  - {name: m, sloMs: 50, latency: {alphaMs: 1, betaMs: 2, maxBatch: 16}, arrival: {process: poisson, rate: 500}}
                deployments:
                  fixed: {groups: [{pool: gpu, replicas: 2, models: [{model: m, batch: 8, maxQueueDelayMs: 5}]}]}
                """);
        return f;
    }

    @Test
    void printsJsonPerPolicyAndIsDeterministicForASeed() throws Exception {
        Path s = scenario();
        CliRun first = run("simulate", "--scenario", s.toString(), "--policies", "fixed,triton-hpa", "--seed", "5", "--json");
        CliRun again = run("simulate", "--scenario", s.toString(), "--policies", "fixed,triton-hpa", "--seed", "5", "--json");
        assertEquals(0, first.code(), first.err());
        assertEquals(first.out(), again.out());
        JsonNode root = new ObjectMapper().readTree(first.out());
        assertEquals(2, root.get("policies").size());
        JsonNode fixed = root.get("policies").get(0);
        assertEquals("fixed", fixed.get("policy").asText());
        assertEquals(2 * 2.0 * 60 / 3600, fixed.get("costDollars").asDouble(), 1e-12);
        assertEquals(fixed.get("requests").asLong(),
                fixed.get("models").get(0).get("completed").asLong() + fixed.get("dropped").asLong());
    }

    @Test
    void printsATable() throws Exception {
        CliRun r = run("simulate", "--scenario", scenario().toString());
        assertEquals(0, r.code(), r.err());
        for (String policy : new String[] {"fixed", "triton-hpa", "kpa", "clipper-aimd"}) {
            assertTrue(r.out().contains(policy), policy);
        }
        assertTrue(r.out().contains("COST $/h"));
    }

    @Test
    void unknownPoliciesAndBadFilesAreUserErrors() throws Exception {
        CliRun unknown = run("simulate", "--scenario", scenario().toString(), "--policies", "oracle");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown policy 'oracle'"), unknown.err());
        CliRun missing = run("simulate", "--scenario", dir.resolve("nope.yaml").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("cannot read"), missing.err());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"poisson-steady", "bursty", "azure-replay", "planned-pipeline"})
    void everyPlannerPolicyRunsOnTheExamples(String example) throws Exception {
        String policies = "stratus,nexus,static-peak,triton-hpa,clipper-aimd,kpa";
        CliRun r = run("simulate", "--scenario", "examples/simulate/" + example + ".yaml", "--policies", policies,
                "--seed", "2", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(6, root.get("policies").size());
        for (int i = 0; i < 6; i++) {
            JsonNode p = root.get("policies").get(i);
            assertEquals(policies.split(",")[i], p.get("policy").asText());
            assertTrue(p.get("costPerHour").asDouble() > 0, example + " " + p.get("policy"));
            assertTrue(p.get("requests").asLong() > 0);
        }
    }

    @Test
    void aPlanRequestInlineInTheScenarioIsPlannedAndSimulated() throws Exception {
        Path f = dir.resolve("planned.yaml");
        Files.writeString(f, """
                durationSeconds: 30
                plan:
                  pools: [{name: cpu, tier: cloud, hardwareId: cpu-amd-epyc-2c, costPerHour: 0.1, maxReplicas: 10,
                           networkRttMs: 5, memoryMb: 4096}]
                  models: [{name: ocr-rec, slo: {latencyMs: 300}, ratePerSecond: 20, memoryMb: 300}]
                  policies: [stratus, nexus]
                """);
        CliRun r = run("simulate", "--scenario", f.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(2, root.get("policies").size());
        assertEquals("stratus", root.get("policies").get(0).get("policy").asText());
        Files.writeString(f, """
                durationSeconds: 30
                plan:
                  pools: [{name: cpu, tier: cloud, hardwareId: cpu-amd-epyc-2c, costPerHour: 0.1, maxReplicas: 1,
                           networkRttMs: 5, memoryMb: 4096}]
                  models: [{name: ocr-rec, slo: {latencyMs: 300}, ratePerSecond: 2000, memoryMb: 300}]
                """);
        CliRun infeasible = run("simulate", "--scenario", f.toString(), "--policies", "stratus");
        assertEquals(1, infeasible.code());
        assertTrue(infeasible.err().contains("policy stratus") && infeasible.err().contains("ocr-rec"), infeasible.err());
        Files.writeString(f, """
                durationSeconds: 30
                pools: [{name: cpu, costPerHour: 0.1}]
                plan: {request: nope.yaml}
                """);
        CliRun both = run("simulate", "--scenario", f.toString());
        assertEquals(1, both.code());
        assertTrue(both.err().contains("pools: not with 'plan'"), both.err());
    }

    @Test
    void benchPlannerRunsASmallPartOfTheSuite() throws Exception {
        CliRun r = run("bench", "planner", "--only", "det-low,colo-small", "--duration", "20", "--runtime-sizes", "10",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(2, root.get("workloads").size());
        JsonNode w = root.get("workloads").get(1);
        assertEquals("colo-small", w.get("name").asText());
        for (String p : new String[] {"stratus", "static-peak", "nexus", "triton-hpa", "clipper-aimd", "kpa", "stratus-exact"}) {
            assertTrue(w.get("poisson").has(p), p);
        }
        assertTrue(w.get("exact").get("exactPlanCost").asDouble() > 0);
        assertEquals(10, root.get("runtimes").get(0).get("models").asInt());
        assertTrue(r.err().contains("[2/2] colo-small"), r.err());
        CliRun text = run("bench", "planner", "--only", "det-low", "--duration", "10", "--runtime-sizes", "none",
                "--no-bursty");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("Median best-baseline / stratus"), text.out());
        CliRun unknown = run("bench", "planner", "--only", "nope");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown workload"), unknown.err());
    }

    @Test
    void benchPlannerRunsAnyDirectoryOfPlanRequests(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.copy(java.nio.file.Path.of("examples/plan/single-model.yaml"), dir.resolve("a.yaml"));
        java.nio.file.Files.writeString(dir.resolve("notes.txt"), "not a request");
        CliRun r = run("bench", "planner", "--suite", dir.toString(), "--duration", "20", "--runtime-sizes", "none",
                "--no-bursty", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(1, root.get("workloads").size());
        assertEquals("a", root.get("workloads").get(0).get("name").asText());
        assertTrue(root.get("workloads").get(0).get("poisson").get("stratus").get("costPerHour").asDouble() > 0);

        CliRun missing = run("bench", "planner", "--suite", dir.resolve("nope").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("is not a directory"), missing.err());
        java.nio.file.Files.writeString(dir.resolve("b.yaml"), "pools: []\n");
        CliRun bad = run("bench", "planner", "--suite", dir.toString(), "--runtime-sizes", "none");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("b.yaml"), bad.err());
    }
}
