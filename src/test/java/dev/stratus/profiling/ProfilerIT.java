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
        ProcessBuilder builder = new ProcessBuilder(command(List.of("serve", "--port", Integer.toString(port),
                "--host", "127.0.0.1", "--profiles", store.toString()))).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("serve.log").toFile());
        // Only the admin API under test: with the control loop on, the service would also profile the example
        // models into this empty store in the background (and stopping it mid-way used to leave a worker behind).
        builder.environment().put("STRATUS_CONTROL_ENABLED", "false");
        Process serve = AppCommand.start(builder);
        try (HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + port;
            awaitUp(http, base + "/q/health/live", serve);
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/profiles"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"vad\",\"batches\":[1,2],\"threads\":1,\"windowMs\":200}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());
            String location = accepted.headers().firstValue("Location").orElseThrow();
            List<String> states = new ArrayList<>();
            JsonNode job = null;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < deadline) {
                job = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(location)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                states.add(job.path("state").asText() + "@" + job.path("fraction").asDouble());
                if (job.path("state").asText().matches("SUCCEEDED|FAILED")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals("SUCCEEDED", job.path("state").asText(), job + " after " + states);
            assertTrue(states.stream().anyMatch(s -> s.startsWith("RUNNING")), "progress visible: " + states);
            JsonNode profiles = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base
                    + "/admin/v1/profiles/vad")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(1, profiles.path("profiles").size(), profiles.toString());
            assertEquals(job.path("hardwareId").asText(),
                    profiles.path("profiles").path(0).path("provenance").path("hardwareId").asText());
        } finally {
            serve.destroy();
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS));
        }
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
