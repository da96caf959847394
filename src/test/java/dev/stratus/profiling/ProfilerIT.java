package dev.stratus.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.AppCommand;
import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.profiles.FileProfileStore;
import dev.stratus.security.LocalAdminToken;
import dev.stratus.testing.SampleModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profiler for real: the packaged CLI and the control service's admin API, each profiling a sample model. */
class ProfilerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeAll
    static void models() {
        SampleModels.ensureFetched();
    }

    @Test
    void cliProfilesOcrClsAndWritesASaneSchemaValidFile() throws Exception {
        Path out = tmp.resolve("profiles");
        Process p = cli(List.of("profile", "ocr-cls", "--batches", "1,4,8", "--threads", "1", "--window-ms", "250",
                "--min-iterations", "5", "--out", out.toString(), "--json"));
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("batch 8 (3/3)") && output.contains("left)"), "progress shown:\n" + output);

        List<Path> files;
        try (Stream<Path> s = Files.walk(out)) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).toList();
        }
        assertEquals(1, files.size(), files.toString());
        Profile profile = FileProfileStore.read(files.get(0)); // validates against the schema
        assertEquals("ocr-cls", profile.model());
        assertEquals(1, profile.provenance().threads());
        assertEquals(List.of(1, 4, 8), profile.batches().stream().map(BatchMeasurement::batch).toList());
        for (BatchMeasurement m : profile.batches()) {
            assertTrue(m.throughputPerSecond() > 0 && m.iterations() >= 5, m.toString());
            assertTrue(m.memoryBytes() > 0, "memory growth measured: " + m);
        }
        BatchMeasurement b1 = profile.measured(1).orElseThrow();
        BatchMeasurement b8 = profile.measured(8).orElseThrow();
        assertTrue(b8.meanMs() > b1.meanMs(), "latency grows with batch: " + b1 + " vs " + b8);
        assertTrue(b8.throughputPerSecond() > b1.throughputPerSecond(), "batching raises throughput");
        assertTrue(b8.memoryBytes() >= b1.memoryBytes(), "memory does not shrink with batch size");
        assertTrue(profile.fit().latencyMs(8) > profile.fit().latencyMs(1));

        phasesPresent(profile.coldStart(), false);
        phasesPresent(profile.coldStartCached(), true);

        JsonNode printed = JSON.readTree(output.substring(output.indexOf("{\n")));
        assertEquals("ocr-cls", printed.path("model").asText());
        assertEquals(1, printed.path("schemaVersion").asInt());
    }

    private static void phasesPresent(ColdStart c, boolean cached) {
        assertEquals(cached, c.optimizedModelCached(), c.toString());
        assertTrue(c.processStartMs() > 100, "a JVM takes more than 100 ms to answer HTTP: " + c);
        assertTrue(c.sessionCreateMs() > 0 && c.firstInferenceMs() > 0 && c.warmupMs() > 0, c.toString());
        // The phases are consecutive, so the process is READY only after their sum.
        assertTrue(c.totalMs() > c.processStartMs() + c.sessionCreateMs(), c.toString());
    }

    @Test
    void aModelThatFailsToLoadLeavesNoProfile() throws Exception {
        Path catalog = SampleModels.contradictingCatalog(tmp);
        Path out = tmp.resolve("profiles");
        Process p = cli(List.of("profile", "ocr-cls", "--batches", "1", "--catalog", catalog.toString(), "--out",
                out.toString()));
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        assertEquals(1, p.exitValue(), output);
        assertTrue(output.contains("could not be served"), output);
        assertFalse(Files.exists(out), "no partial profile written");

        Process usage = cli(List.of("profile", "wakeword", "--batches", "1,2", "--out", out.toString()));
        String usageOut = new String(usage.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(usage.waitFor(1, TimeUnit.MINUTES));
        assertEquals(2, usage.exitValue(), usageOut);
        assertTrue(usageOut.contains("batch dimension is fixed"), usageOut);
    }

    @Test
    void adminApiRunsAProfilingJobAndServesTheResult() throws Exception {
        int port = AppCommand.freePort();
        Path store = tmp.resolve("store");
        LocalAdminToken admin = LocalAdminToken.in(tmp.resolve("tokens"));
        Process serve = startServe(port, store, admin, Map.of());
        try (HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + port;
            awaitUp(http, base + "/q/health/live", serve);
            HttpResponse<String> accepted = submit(http, base, admin,
                    "{\"model\":\"vad\",\"batches\":[1,2],\"threads\":1,\"windowMs\":200}");
            assertEquals(202, accepted.statusCode(), accepted.body());
            String location = accepted.headers().firstValue("Location").orElseThrow();
            List<String> states = new ArrayList<>();
            JsonNode job = awaitEnd(http, location, admin, states);
            assertEquals("SUCCEEDED", job.path("state").asText(), job + " after " + states);
            assertTrue(states.stream().anyMatch(s -> s.startsWith("RUNNING")), "progress visible: " + states);
            JsonNode profiles = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base
                    + "/admin/v1/profiles/vad")).header("Authorization", admin.authorization()).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(1, profiles.path("profiles").size(), profiles.toString());
            assertEquals(job.path("hardwareId").asText(),
                    profiles.path("profiles").path(0).path("provenance").path("hardwareId").asText());
        } finally {
            serve.destroy();
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS));
        }
    }

    /**
     * A service whose limits allow one job and one second of measuring: a second job is refused with 429 while
     * the first is queued or running, and the first, which needs far longer than two seconds (it starts worker
     * JVMs), is stopped by the watchdog, its worker process with it; the queue is free again after.
     */
    @Test
    void profilingJobsAreBoundedInNumberAndTime() throws Exception {
        int port = AppCommand.freePort();
        LocalAdminToken admin = LocalAdminToken.in(tmp.resolve("tokens"));
        Process serve = startServe(port, tmp.resolve("store"), admin, Map.of("STRATUS_PROFILING_MAX_QUEUED_JOBS", "1",
                "STRATUS_PROFILING_MAX_JOB_SECONDS", "1"));
        String job = "{\"model\":\"vad\",\"batches\":[1],\"threads\":1,\"windowMs\":300,\"maxWindows\":3}";
        try (HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + port;
            awaitUp(http, base + "/q/health/live", serve);
            HttpResponse<String> first = submit(http, base, admin, job);
            assertEquals(202, first.statusCode(), first.body());
            HttpResponse<String> second = submit(http, base, admin, job);
            assertEquals(429, second.statusCode(), second.body());
            assertTrue(second.body().contains("stratus.profiling.max-queued-jobs"), second.body());
            HttpResponse<String> tooLong = submit(http, base, admin, job.replace("\"windowMs\":300",
                    "\"windowMs\":1000"));
            assertEquals(400, tooLong.statusCode(), tooLong.body());
            JsonNode ended = awaitEnd(http, first.headers().firstValue("Location").orElseThrow(), admin,
                    new ArrayList<>());
            assertEquals("FAILED", ended.path("state").asText(), ended.toString());
            assertTrue(ended.path("error").asText().contains("stopped after 2 s"), ended.toString());
            long pid = serve.pid();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ProcessHandle.of(pid).orElseThrow().descendants().anyMatch(ProcessHandle::isAlive)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(List.of(), ProcessHandle.of(pid).orElseThrow().descendants().filter(ProcessHandle::isAlive)
                    .map(h -> h.info().commandLine().orElse("?")).toList(), "the stopped job's worker is gone");
            assertEquals(202, submit(http, base, admin, job).statusCode(), "the queue is free again");
            Thread.sleep(1000); // the new job starts a worker: stopping the service must end it too
        } finally {
            List<ProcessHandle> children = serve.descendants().toList();
            serve.destroy();
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<ProcessHandle> left = children.stream().filter(ProcessHandle::isAlive).toList();
            left.forEach(ProcessHandle::destroyForcibly);
            assertEquals(List.of(), left.stream().map(h -> h.info().commandLine().orElse("?")).toList(),
                    "no worker outlives the service");
        }
    }

    private Process startServe(int port, Path store, LocalAdminToken admin, Map<String, String> env)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--host",
                "127.0.0.1", "--profiles", store.toString()));
        args.addAll(admin.serveArgs());
        ProcessBuilder pb = new ProcessBuilder(command(args)).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("serve-" + port + ".log").toFile());
        // The admin API only: no control loop planning and starting workers beside the profiler.
        pb.environment().put("STRATUS_CONTROL_ENABLED", "false");
        pb.environment().putAll(env);
        return AppCommand.start(pb);
    }

    private static HttpResponse<String> submit(HttpClient http, String base, LocalAdminToken admin, String body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/profiles"))
                .header("Content-Type", "application/json").header("Authorization", admin.authorization())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls a job until it succeeded or failed (3 minutes at most), noting each state seen. */
    private static JsonNode awaitEnd(HttpClient http, String location, LocalAdminToken admin, List<String> states)
            throws Exception {
        JsonNode job = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            job = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(location))
                    .header("Authorization", admin.authorization()).build(), HttpResponse.BodyHandlers.ofString())
                    .body());
            states.add(job.path("state").asText() + "@" + job.path("fraction").asDouble());
            if (job.path("state").asText().matches("SUCCEEDED|FAILED")) {
                break;
            }
            Thread.sleep(200);
        }
        return job;
    }

    private static void awaitUp(HttpClient http, String url, Process process) throws Exception {
        for (int i = 0; i < 600; i++) {
            assertTrue(process.isAlive(), "serve exited early");
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve did not come up");
    }

    private static Process cli(List<String> args) throws Exception {
        return AppCommand.start(new ProcessBuilder(command(args)).redirectErrorStream(true));
    }

    private static List<String> command(List<String> args) {
        return AppCommand.app(args);
    }
}
