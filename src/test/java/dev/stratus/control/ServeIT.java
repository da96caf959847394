package dev.stratus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.AppCommand;
import dev.stratus.backend.local.ServiceProcess;
import dev.stratus.bench.OpenLoop;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.metrics.PrometheusText;
import dev.stratus.profiles.FileProfileStore;
import dev.stratus.security.LocalAdminToken;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.SampleModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole local system as a user runs it ({@code stratus serve}): gateway, planned workers, autoscaler with a
 * warm pool, admin API; then a worker killed under load, the control service itself killed and restarted (it
 * keeps the admin API's edits and adopts its running workers), and a clean stop. Real processes, real models,
 * real HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final double SLO_MS = 100;
    static final double VAD_SLO_MS = 50;
    static Path dir;
    static ServiceProcess.Options options;
    static ServiceProcess serve;
    static OipClient client;
    static final String VIEWER = "Bearer serve-it-viewer-token-0123456789";
    static LocalAdminToken admin;

    @BeforeAll
    static void start() throws Exception {
        SampleModels.ensureFetched();
        dir = Files.createTempDirectory("serve-it-");
        Path config = Files.createDirectories(dir.resolve("config"));
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
        // The attainment target leaves room for the two shared cores of the CI machine. Two warm standbys: the
        // step needs two more replicas, which then come from the pool, not from JVM starts beside the serving ones.
        Files.writeString(config.resolve("ocr-cls.yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: ocr-cls}
                spec:
                  slo: {latencyMs: %s, percentile: 99, targetAttainment: 0.95}
                  expectedRatePerSecond: 50
                  maxBatch: 1
                  memoryMb: 300
                  scaling: {minReplicas: 1, maxReplicas: 4, warmPool: 2}
                """.formatted(SLO_MS));
        // A second model served beside it the whole time, at a steady low rate of its own during the step.
        Files.writeString(config.resolve("vad.yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: vad}
                spec:
                  slo: {latencyMs: %s, percentile: 99}
                  expectedRatePerSecond: 20
                  memoryMb: 300
                  scaling: {minReplicas: 1, maxReplicas: 2, warmPool: 0}
                """.formatted(VAD_SLO_MS));
        // A copy of the profiles: on a machine type without committed ones, models are profiled into it, not
        // into the source tree.
        Path profiles = FileProfileStore.copy(Path.of("profiles").toAbsolutePath(), dir.resolve("profiles"));
        // The test's own token file, as './stratus serve' would generate it, plus a viewer token.
        admin = LocalAdminToken.in(dir.resolve("tokens"));
        Files.writeString(admin.file(), "viewer " + VIEWER.substring("Bearer ".length()) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        // One port for every start, as a user's clients would expect across restarts.
        options = ServiceProcess.Options.of(config, dir).withProfiles(profiles).withPort(AppCommand.freePort())
                .withTokens(admin.file());
        serve = ServiceProcess.start(options);
        client = new OipClient(serve.base(), admin.authorization());
        // Up to 4 minutes: on a machine without a committed profile, ocr-cls is profiled first.
        serve.awaitReady(Duration.ofMinutes(4));
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
    }

    static List<Tensor> vadInputs() {
        return List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 3).values());
    }

    static List<Tensor> inputs() {
        return List.copyOf(SampleInputs.of(SampleModels.spec("ocr-cls"), 1, 3).values());
    }

    /**
     * A load step on ocr-cls (40 -> 110 -> 40 req/s) while vad is served beside it at a steady 20 req/s. What is
     * asserted is relative to the first seconds of the same run, before the step: that the step is served from the
     * warm pool and brings ocr-cls back to the attainment it had at the low rate, and that it does not cost vad its
     * attainment. Absolute attainment on two cores depends on what else runs on them (other builds): the demo and
     * the benchmarks report it; a test asserting it would fail for reasons outside the system.
     */
    @Test
    @Order(1)
    void aLoadStepIsServedFromTheWarmPoolWithoutCostingAttainment() throws Exception {
        assertTrue(serve.awaitSettled(Duration.ofMinutes(2)), "no warm standby: " + client.get("/admin/v1/fleet")
                .text());
        List<OpenLoop.Result> results;
        List<OpenLoop.Result> vadResults;
        try (OpenLoop load = new OpenLoop(); OpenLoop vadLoad = new OpenLoop()) {
            var vad = CompletableFuture.supplyAsync(() -> {
                try {
                    return vadLoad.run(serve.port(), "vad", vadInputs(), List.of(new OpenLoop.Phase(20, 38)));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            results = load.run(serve.port(), "ocr-cls", inputs(), List.of(new OpenLoop.Phase(40, 8),
                    new OpenLoop.Phase(110, 24), new OpenLoop.Phase(40, 4)));
            vadResults = vad.get(2, TimeUnit.MINUTES);
            assertEquals(load.sent(), results.size(), "every request answered, success or error");
            assertEquals(vadLoad.sent(), vadResults.size(), "every vad request answered");
        }
        JsonNode events = JSON.readTree(client.get("/admin/v1/events?limit=500").text());
        List<String> kinds = new ArrayList<>();
        events.forEach(e -> kinds.add(e.path("kind").asText()));
        assertTrue(kinds.contains("SCALE_UP") && kinds.contains("PROMOTE_WARM"),
                "scale-up served from the warm pool: " + events.toPrettyString());
        double vadBefore = attainment(vadResults, 0, 8_000, VAD_SLO_MS);
        double vadDuring = attainment(vadResults, 8_000, 32_000, VAD_SLO_MS);
        System.out.printf("load step: vad %.3f before, %.3f during; ocr-cls %.3f before, %.3f after its first 5 s%n",
                vadBefore, vadDuring, attainment(results, 0, 8_000, SLO_MS), attainment(results, 13_000, 32_000,
                        SLO_MS));
        assertTrue(vadDuring >= vadBefore - 0.10, String.format("the step costs the other model no attainment: %.3f "
                + "during it, %.3f before; by second (due, requests, not ok, over SLO): %s", vadDuring, vadBefore,
                bySecond(vadResults, VAD_SLO_MS)));
        // Outside the first few seconds of the step, the step's model is back to what it had at the low rate.
        double before = attainment(results, 0, 8_000, SLO_MS);
        double after = attainment(results, 13_000, 32_000, SLO_MS);
        assertTrue(after >= before - 0.10, String.format("attainment %.3f after the step's first 5 s, %.3f before the "
                + "step; by second (due, requests, not ok, over SLO): %s", after, before, bySecond(results, SLO_MS)));
    }

    /** Share of the requests due in [fromMs, toMs) answered 200 within the SLO. */
    static double attainment(List<OpenLoop.Result> results, double fromMs, double toMs, double sloMs) {
        List<OpenLoop.Result> in = results.stream().filter(r -> r.dueMs() >= fromMs && r.dueMs() < toMs).toList();
        return (double) in.stream().filter(r -> r.status() == 200 && r.latencyMs() <= sloMs).count() / in.size();
    }

    static String bySecond(List<OpenLoop.Result> results, double sloMs) {
        StringBuilder s = new StringBuilder();
        for (int sec = 0; sec < 40; sec++) {
            int second = sec;
            List<OpenLoop.Result> in = results.stream().filter(r -> (int) (r.dueMs() / 1000) == second).toList();
            if (!in.isEmpty()) {
                s.append(String.format("[%ds %d %d %d] ", second, in.size(), in.stream().filter(r -> r.status() != 200)
                        .count(), in.stream().filter(r -> r.status() == 200 && r.latencyMs() > sloMs).count()));
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
        // A generous SLO at a low rate: one replica whatever this machine measures for wakeword (where no profile
        // is committed for it, it is profiled on the spot, at low priority beside the tests' load and other builds:
        // a measured p99 of 100 ms has been seen on a busy machine, four times that in this pool's scale).
        String model = """
                {"apiVersion": "stratus.dev/v1alpha1", "kind": "InferenceModel", "metadata": {"name": "wakeword"},
                 "spec": {"slo": {"latencyMs": 5000, "percentile": 99}, "expectedRatePerSecond": 5,
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
        OipClient.Response bad = put("/admin/v1/models/wakeword", model.replace("\"latencyMs\": 5000",
                "\"latencyMs\": -5"));
        assertEquals(400, bad.status());
        assertTrue(bad.text().contains("spec.slo.latencyMs"), bad.text());
        OipClient.Response wrongName = put("/admin/v1/models/other", model);
        assertEquals(400, wrongName.status());
        assertTrue(wrongName.text().contains("the path is InferenceModel 'other'"), wrongName.text());
        OipClient.Response impossible = put("/admin/v1/models/wakeword", model.replace("\"latencyMs\": 5000",
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

    /**
     * kill -9 of a serving worker under load. Every request gets an answer; the ones the dead worker held, and
     * those routed to it before the fleet noticed, are resent to another replica. The only failures allowed are
     * requests whose deadline could not be met: shed at once because no replica could answer in time (429), or
     * out of time (504). Counted exactly: no transport error, no 502 (a request that ran out of attempts with time
     * left), no 503.
     */
    @Test
    @Order(4)
    void aWorkerKilledUnderLoadFailsOnlyRequestsWhoseDeadlineCouldNotBeMet() throws Exception {
        awaitGroups(g -> g.path("starting").asInt() == 0 && g.path("serving").asInt() == g.path("targetServing")
                .asInt());
        // The oldest serving replica: a scale-down after the step would drain the newest first, not crash it.
        JsonNode fleet = JSON.readTree(client.get("/admin/v1/fleet").text());
        long victimPid = -1;
        double oldest = -1;
        for (JsonNode r : fleet) {
            if (r.path("state").asText().equals("SERVING") && r.path("group").asText().startsWith("ocr-cls")
                    && r.path("ageSeconds").asDouble() > oldest) {
                victimPid = r.path("pid").asLong();
                oldest = r.path("ageSeconds").asDouble();
            }
        }
        assertTrue(victimPid > 0, fleet.toPrettyString());
        ProcessHandle victim = ProcessHandle.of(victimPid).orElseThrow();
        double retriesBefore = gatewayCounter("stratus_gateway_retries_total");
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
            results = load.run(serve.port(), "ocr-cls", inputs(), List.of(new OpenLoop.Phase(80, 15)));
            killer.join();
            assertEquals(load.sent(), results.size(), "sent = answered: no request lost");
        }
        Map<Integer, Long> byStatus = new TreeMap<>();
        results.forEach(r -> byStatus.merge(r.status(), 1L, Long::sum));
        long errors = results.size() - byStatus.getOrDefault(200, 0L);
        long deadlineCouldNotBeMet = byStatus.getOrDefault(429, 0L) + byStatus.getOrDefault(504, 0L);
        System.out.printf("kill -9 under load: %d sent, answers by status %s, %.0f retries%n", results.size(),
                byStatus, gatewayCounter("stratus_gateway_retries_total") - retriesBefore);
        assertTrue(errors <= deadlineCouldNotBeMet, "every failure is a request whose deadline could not be met; "
                + "answers by status: " + byStatus);
        assertTrue(gatewayCounter("stratus_gateway_retries_total") > retriesBefore,
                "the dead worker's requests were resent elsewhere");
        JsonNode events = JSON.readTree(client.get("/admin/v1/events?limit=500").text());
        assertTrue(events.toString().contains("RESTART") && events.toString().contains("crash 1 in a row"),
                "the crash is reported: " + events.toPrettyString());
        // Replaced without anyone acting: the group is back to what it plans, and healthy after one crash.
        awaitGroups(g -> !g.path("group").asText().startsWith("ocr-cls") || g.path("serving").asInt()
                == g.path("targetServing").asInt() && g.path("health").asText().equals("HEALTHY"));
    }

    /**
     * The control service killed with SIGKILL (no shutdown hook runs) and started again on the same state: the
     * admin API's edit survives, the workers that kept running are adopted (same processes, no cold start) and
     * serve as soon as the service is up, and the one that died meanwhile is replaced.
     */
    @Test
    @Order(5)
    void aKilledControlServiceRestartsWithItsEditsAndAdoptsItsWorkers() throws Exception {
        awaitGroups(g -> g.path("starting").asInt() == 0);
        String vadEdit = """
                {"apiVersion": "stratus.dev/v1alpha1", "kind": "InferenceModel", "metadata": {"name": "vad"},
                 "spec": {"slo": {"latencyMs": 50, "percentile": 99}, "expectedRatePerSecond": 20, "memoryMb": 300,
                          "scaling": {"minReplicas": 1, "maxReplicas": 3, "warmPool": 0}}}""";
        assertEquals(200, put("/admin/v1/models/vad", vadEdit).status());
        Map<Long, Integer> before = new HashMap<>();
        long standbyPid = -1;
        for (JsonNode r : JSON.readTree(client.get("/admin/v1/fleet").text())) {
            before.put(r.path("pid").asLong(), r.path("port").asInt());
            if (r.path("state").asText().equals("STANDBY")) {
                standbyPid = r.path("pid").asLong();
            }
        }
        assertTrue(standbyPid > 0, "ocr-cls keeps a warm standby: " + before);

        serve.process().destroyForcibly().waitFor(); // kill -9: the workers are orphans now
        ProcessHandle.of(standbyPid).ifPresent(ProcessHandle::destroyForcibly); // and one dies while it is down
        Thread.sleep(1000);
        for (Map.Entry<Long, Integer> w : before.entrySet()) {
            if (w.getKey() != standbyPid) {
                assertTrue(ProcessHandle.of(w.getKey()).map(ProcessHandle::isAlive).orElse(false),
                        "worker " + w.getKey() + " keeps running without its control service");
                assertEquals(200, new OipClient("http://127.0.0.1:" + w.getValue()).get("/v2/health/ready")
                        .status(), "and keeps answering");
            }
        }

        long restart = System.nanoTime();
        serve = ServiceProcess.start(options);
        serve.awaitReady(Duration.ofMinutes(2));
        double readySeconds = (System.nanoTime() - restart) / 1e9;
        JsonNode fleet = JSON.readTree(client.get("/admin/v1/fleet").text());
        // Serving again through the adopted workers: the first answers of a freshly started gateway on a busy
        // machine may still be shed, so a few tries (the time they take is the outage, reported).
        assertEquals(200, firstSuccess("ocr-cls", inputs()), "ocr-cls served again");
        assertEquals(200, firstSuccess("vad", vadInputs()), "vad served again");
        double servingSeconds = (System.nanoTime() - restart) / 1e9;
        List<Long> serving = new ArrayList<>();
        fleet.forEach(r -> {
            if (r.path("state").asText().equals("SERVING")) {
                serving.add(r.path("pid").asLong());
            }
        });
        System.out.printf("restart after kill -9: gateway ready %.1f s after the start, both models served %.1f s "
                + "after it; serving replicas %s of %s before%n", readySeconds, servingSeconds, serving, before.keySet());
        assertFalse(serving.isEmpty(), fleet.toPrettyString());
        assertTrue(serving.stream().allMatch(before::containsKey), "ready as soon as it is up, %.1f s after the "
                .formatted(readySeconds) + "restart (serving %.1f s after), on the adopted workers only (no cold "
                .formatted(servingSeconds) + "start): " + fleet);
        JsonNode vad = JSON.readTree(client.get("/admin/v1/models/vad").text());
        assertEquals(3, vad.at("/spec/scaling/maxReplicas").asInt(), "the admin API's edit survived: " + vad);
        String events = client.get("/admin/v1/events?limit=500").text();
        assertTrue(events.contains("adopted as SERVING"), events);
        assertTrue(events.contains("process " + standbyPid + " is gone"), "the dead standby is not adopted: "
                + events);
        // The standby that died is replaced.
        awaitGroups(g -> g.path("standby").asInt() == g.path("targetStandby").asInt()
                && g.path("serving").asInt() == g.path("targetServing").asInt());
    }

    @Test
    @Order(6)
    void sigtermStopsEveryWorkerAndARestartServesAgain() throws Exception {
        List<Long> workers = new ArrayList<>();
        JSON.readTree(client.get("/admin/v1/fleet").text()).forEach(r -> workers.add(r.path("pid").asLong()));
        assertFalse(workers.isEmpty());
        serve.stop(); // SIGTERM: it drains its workers, then exits
        assertFalse(serve.process().isAlive());
        for (long pid : workers) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "worker " + pid + " left running (adopted ones included)");
        }
        long restarted = System.nanoTime();
        serve = ServiceProcess.start(options);
        serve.awaitReady(Duration.ofMinutes(2));
        assertTrue(JSON.readTree(serve.get("/admin/v1/events?limit=500")).toString().contains("START_COLD"),
                "a clean stop leaves nothing to adopt: the workers start anew");
        int status = 0;
        while (status != 200 && System.nanoTime() - restarted < TimeUnit.MINUTES.toNanos(2)) {
            status = client.inferBinary("ocr-cls", inputs(), null).status();
        }
        assertEquals(200, status, "serving again after the restart");
    }

    /** The status of the first 200 within 30 s, or of the last answer. */
    private static int firstSuccess(String model, List<Tensor> in) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        OipClient.Response r = client.inferBinary(model, in, null);
        while (r.status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            r = client.inferBinary(model, in, null);
        }
        return r.status();
    }

    private static double gatewayCounter(String name) throws Exception {
        return PrometheusText.value(client.get("/q/metrics").text(), name, "model", "ocr-cls");
    }

    /** Waits (up to 2 minutes) until every worker group of the fleet API matches. */
    private static void awaitGroups(Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        JsonNode groups = null;
        while (System.nanoTime() < deadline) {
            groups = JSON.readTree(client.get("/admin/v1/fleet/groups").text());
            boolean all = groups.size() > 0;
            for (JsonNode g : groups) {
                all &= condition.test(g);
            }
            if (all) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("fleet groups did not get there: " + groups);
    }
}
