package dev.stratus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.AppCommand;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.security.LocalAdminToken;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.OpenLoop;
import dev.stratus.testing.SampleModels;
import dev.stratus.testing.ServeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole local system as a user runs it ({@code stratus serve}): gateway, planned workers, autoscaler with a
 * warm pool, admin API. Real processes, real models, real HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final double SLO_MS = 100;
    static Path dir;
    static Path config;
    static Process serve;
    static int port;
    static OipClient client;
    static final String VIEWER = "Bearer serve-it-viewer-token-0123456789";
    static LocalAdminToken admin;

    @BeforeAll
    static void start() throws Exception {
        SampleModels.ensureFetched();
        dir = Files.createTempDirectory("serve-it-");
        config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("pool.yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: AcceleratorPool
                metadata: {name: local-cpu}
                spec: {tier: edge, hardwareId: auto, latencyScale: 4, costPerHour: 0.1, maxReplicas: 6,
                       networkRttMs: 0.5, memoryMb: 4096}
                """);
        // Batch 1 only, so that more load needs more replicas (a batching model would batch instead), and a pool
        // planned as four times slower than this machine: on two shared cores, replicas add no real capacity, so
        // the step must need more replicas on paper while the machine can still serve it.
        // The attainment target leaves room for the two shared cores of the CI machine.
        Files.writeString(config.resolve("ocr-cls.yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: ocr-cls}
                spec:
                  slo: {latencyMs: %s, percentile: 99, targetAttainment: 0.95}
                  expectedRatePerSecond: 50
                  maxBatch: 1
                  memoryMb: 300
                  scaling: {minReplicas: 1, maxReplicas: 4, warmPool: 1}
                """.formatted(SLO_MS));
        // A second model served beside it the whole time, at a steady low rate of its own during the step.
        Files.writeString(config.resolve("vad.yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: vad}
                spec:
                  slo: {latencyMs: 50, percentile: 99}
                  expectedRatePerSecond: 20
                  memoryMb: 300
                  scaling: {minReplicas: 1, maxReplicas: 2, warmPool: 0}
                """);
        port = AppCommand.freePort();
        // The test's own token file, as './stratus serve' would generate it, plus a viewer token.
        admin = LocalAdminToken.in(dir.resolve("tokens"));
        Files.writeString(admin.file(), "viewer " + VIEWER.substring("Bearer ".length()) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        serve = startServe(config);
        client = new OipClient("http://127.0.0.1:" + port, admin.authorization());
        awaitReady();
    }

    static Process startServe(Path config) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port),
                "--host", "127.0.0.1", "--config", config.toString(), "--period-ms", "1000",
                "--profiles", profiles().toString(),
                "--logs", dir.resolve("logs").toString()));
        args.addAll(admin.serveArgs());
        List<String> cmd = AppCommand.app(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                dir.resolve("serve.log").toFile())).start();
    }

    /**
     * A copy of the committed profiles: a model profiled during the test (on a machine type without a committed
     * profile) must not be written into the working tree, nor outlive the test to change the next run's plan.
     */
    static Path profiles() throws java.io.IOException {
        Path copy = dir.resolve("profiles");
        if (!Files.isDirectory(copy)) {
            Path source = Path.of("profiles").toAbsolutePath();
            try (var files = Files.walk(source)) {
                for (Path f : files.toList()) {
                    Files.copy(f, copy.resolve(source.relativize(f).toString()));
                }
            }
        }
        return copy;
    }

    static void awaitReady() throws Exception {
        // Up to 4 minutes: on a machine without a committed profile, ocr-cls is profiled first.
        ServeProcess.awaitReady(serve, client, dir.resolve("serve.log"), java.time.Duration.ofMinutes(4));
    }

    static String log() {
        return ServeProcess.tail(dir.resolve("serve.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null && serve.isAlive()) {
            serve.destroy();
            serve.waitFor(60, TimeUnit.SECONDS);
        }
    }

    static List<Tensor> vadInputs() {
        return List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 3).values());
    }

    static List<Tensor> inputs() {
        return List.copyOf(SampleInputs.of(SampleModels.spec("ocr-cls"), 1, 3).values());
    }

    /** Waits until the fleet has converged: a serving replica and a warm standby beside it. */
    static void awaitStandby() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            String fleet = client.get("/admin/v1/fleet").text();
            if (fleet.contains("\"STANDBY\"") && !fleet.contains("\"STARTING\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no warm standby: " + client.get("/admin/v1/fleet").text());
    }

    @Test
    @Order(1)
    void aLoadStepIsServedFromTheWarmPoolAndTheSloHolds() throws Exception {
        awaitStandby();
        List<OpenLoop.Result> results;
        List<OpenLoop.Result> vadResults;
        try (OpenLoop load = new OpenLoop(); OpenLoop vadLoad = new OpenLoop()) {
            var vad = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return vadLoad.run(port, "vad", vadInputs(), List.of(new OpenLoop.Phase(20, 34)));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            results = load.run(port, "ocr-cls", inputs(), List.of(new OpenLoop.Phase(40, 6),
                    new OpenLoop.Phase(150, 24), new OpenLoop.Phase(40, 4)));
            vadResults = vad.get(2, TimeUnit.MINUTES);
            assertEquals(load.sent(), results.size(), "every request answered, success or error");
            assertEquals(vadLoad.sent(), vadResults.size(), "every vad request answered");
        }
        long vadGood = vadResults.stream().filter(r -> r.status() == 200 && r.latencyMs() <= 50).count();
        assertTrue(vadGood >= 0.95 * vadResults.size(), "the other model keeps its SLO during the step: "
                + vadGood + " of " + vadResults.size());
        JsonNode events = JSON.readTree(client.get("/admin/v1/events?limit=500").text());
        List<String> kinds = new ArrayList<>();
        events.forEach(e -> kinds.add(e.path("kind").asText()));
        assertTrue(kinds.contains("SCALE_UP") && kinds.contains("PROMOTE_WARM"),
                "scale-up served from the warm pool: " + events.toPrettyString());
        // Outside the first few seconds of the step, the SLO target holds.
        List<OpenLoop.Result> steady = results.stream().filter(r -> r.dueMs() >= 11_000 && r.dueMs() < 30_000)
                .toList();
        long good = steady.stream().filter(r -> r.status() == 200 && r.latencyMs() <= SLO_MS).count();
        double attainment = (double) good / steady.size();
        assertTrue(attainment >= 0.95, String.format("attainment %.3f over %d requests after the step; by second "
                + "(due, requests, not ok, over SLO): %s", attainment, steady.size(), bySecond(steady)));
    }

    static String bySecond(List<OpenLoop.Result> results) {
        StringBuilder s = new StringBuilder();
        for (int sec = 0; sec < 40; sec++) {
            int second = sec;
            List<OpenLoop.Result> in = results.stream().filter(r -> (int) (r.dueMs() / 1000) == second).toList();
            if (!in.isEmpty()) {
                s.append(String.format("[%ds %d %d %d] ", second, in.size(), in.stream().filter(r -> r.status() != 200)
                        .count(), in.stream().filter(r -> r.status() == 200 && r.latencyMs() > SLO_MS).count()));
            }
        }
        return s.toString();
    }

    @Test
    @Order(2)
    void malformedRequestsGetClearErrorsWithoutDisturbingTraffic() throws Exception {
        assertEquals(404, client.inferJson("nope", "{}").status());
        OipClient.Response bad = client.inferJson("ocr-cls", "{\"inputs\":[{\"name\":\"x\"}]}");
        assertEquals(400, bad.status());
        assertTrue(bad.text().contains("error"), bad.text());
        OipClient.Response whatIf = client.post("/admin/v1/plan/what-if", "{\"rates\":{\"ocr-cls\":-1}}".getBytes(),
                "Content-Type", "application/json");
        assertEquals(400, whatIf.status());
        assertTrue(whatIf.text().contains("rates.ocr-cls"), whatIf.text());
        OipClient.Response notJson = client.post("/admin/v1/plan/what-if", "{".getBytes(), "Content-Type",
                "application/json");
        assertEquals(400, notJson.status());
        assertEquals(200, client.inferBinary("ocr-cls", inputs(), null).status());
        JsonNode cost = JSON.readTree(client.post("/admin/v1/plan/what-if", "{\"rates\":{\"ocr-cls\":300}}"
                .getBytes(), "Content-Type", "application/json").text());
        assertTrue(cost.path("costPerHour").asDouble() > 0, cost.toString());
    }

    @Test
    @Order(3)
    void resourcesAreEditedThroughTheAdminApiAndApplied() throws Exception {
        String model = """
                {"apiVersion": "stratus.dev/v1alpha1", "kind": "InferenceModel", "metadata": {"name": "wakeword"},
                 "spec": {"slo": {"latencyMs": 50, "percentile": 99}, "expectedRatePerSecond": 20,
                          "scaling": {"minReplicas": 1, "maxReplicas": 2, "warmPool": 0}}}""";
        OipClient viewer = client.as(VIEWER);
        assertEquals(403, viewer.put("/admin/v1/models/wakeword", model.getBytes(), "Content-Type",
                "application/json").status(), "a viewer may not change resources");
        assertEquals(200, viewer.get("/admin/v1/models").status(), "a viewer reads them");
        OipClient.Response anonymous = client.as(null).get("/admin/v1/models");
        assertEquals(401, anonymous.status());
        assertTrue(anonymous.text().contains("\"error\""), anonymous.text());
        assertEquals(401, client.as("Bearer " + "x".repeat(43)).get("/admin/v1/fleet").status());
        OipClient.Response created = put("/admin/v1/models/wakeword", model);
        assertEquals(201, created.status(), created.text());
        assertEquals(200, put("/admin/v1/models/wakeword", model).status(), "a second PUT replaces");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        List<Tensor> wakeInputs = List.copyOf(SampleInputs.of(SampleModels.spec("wakeword"), 1, 3).values());
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            status = client.inferBinary("wakeword", wakeInputs, null).status();
            Thread.sleep(200);
        }
        assertEquals(200, status, "the new model is planned, started and routed");
        OipClient.Response bad = put("/admin/v1/models/wakeword", model.replace("\"latencyMs\": 50",
                "\"latencyMs\": -5"));
        assertEquals(400, bad.status());
        assertTrue(bad.text().contains("spec.slo.latencyMs"), bad.text());
        OipClient.Response wrongName = put("/admin/v1/models/other", model);
        assertEquals(400, wrongName.status());
        assertTrue(wrongName.text().contains("the path is InferenceModel 'other'"), wrongName.text());
        OipClient.Response impossible = put("/admin/v1/models/wakeword", model.replace("\"latencyMs\": 50",
                "\"latencyMs\": 0.01"));
        assertEquals(422, impossible.status(), impossible.text());
        assertTrue(impossible.text().contains("wakeword"), impossible.text());
        assertEquals(200, client.get("/admin/v1/models/wakeword").status(),
                "a refused change leaves the model as it was");
        assertEquals(404, client.get("/admin/v1/pools/nope").status());
        assertEquals(204, client.delete("/admin/v1/models/wakeword").status());
        assertEquals(404, client.inferBinary("wakeword", wakeInputs, null).status());
        assertEquals(404, client.delete("/admin/v1/models/wakeword").status());
    }

    static OipClient.Response put(String path, String body) throws Exception {
        return client.put(path, body.getBytes(), "Content-Type", "application/json");
    }

    @Test
    @Order(4)
    void aWorkerKilledUnderLoadLosesNoRequestAndIsReplaced() throws Exception {
        JsonNode fleet = JSON.readTree(client.get("/admin/v1/fleet").text());
        int victimPort = -1;
        for (JsonNode r : fleet) {
            if (r.path("state").asText().equals("SERVING")) {
                victimPort = r.path("port").asInt();
            }
        }
        assertTrue(victimPort > 0, fleet.toPrettyString());
        String portArg = "--port " + victimPort;
        ProcessHandle victim = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .contains(portArg)).findFirst().orElseThrow();
        List<OpenLoop.Result> results;
        try (OpenLoop load = new OpenLoop()) {
            Thread killer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    return;
                }
                victim.destroyForcibly(); // kill -9
            });
            results = load.run(port, "ocr-cls", inputs(), List.of(new OpenLoop.Phase(80, 15)));
            killer.join();
            assertEquals(load.sent(), results.size(), "sent = successes + errors: nothing lost");
        }
        long errors = results.stream().filter(r -> r.status() != 200).count();
        assertTrue(errors <= results.size() * 0.05, errors + " errors of " + results.size());
        // Serving recovered without anyone acting: the last seconds are clean.
        assertTrue(results.stream().filter(r -> r.dueMs() > 10_000).allMatch(r -> r.status() == 200));
        JsonNode events = JSON.readTree(client.get("/admin/v1/events?limit=500").text());
        assertTrue(events.toString().contains("RESTART"), events.toPrettyString());
    }

    @Test
    @Order(5)
    void sigtermStopsEveryWorkerAndARestartServesAgain() throws Exception {
        List<Integer> workerPorts = new ArrayList<>();
        JSON.readTree(client.get("/admin/v1/fleet").text()).forEach(r -> workerPorts.add(r.path("port").asInt()));
        assertTrue(!workerPorts.isEmpty());
        serve.destroy(); // SIGTERM
        assertTrue(serve.waitFor(90, TimeUnit.SECONDS), "serve stops after draining its workers");
        for (int p : workerPorts) {
            String arg = "--port " + p;
            assertTrue(ProcessHandle.allProcesses().noneMatch(h -> h.isAlive() && h.info().commandLine().orElse("")
                    .contains(arg)), "worker on port " + p + " left running");
        }
        long restarted = System.nanoTime();
        serve = startServe(config);
        awaitReady();
        int status = 0;
        while (status != 200 && System.nanoTime() - restarted < TimeUnit.MINUTES.toNanos(2)) {
            status = client.inferBinary("ocr-cls", inputs(), null).status();
        }
        double seconds = (System.nanoTime() - restarted) / 1e9;
        assertEquals(200, status, "serving again after the restart");
        assertTrue(seconds < 120, "serving again after " + seconds + " s");
    }
}
