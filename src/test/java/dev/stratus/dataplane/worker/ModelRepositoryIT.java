package dev.stratus.dataplane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.WorkerProcess;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.metrics.PrometheusText;
import dev.stratus.security.LocalAdminToken;
import dev.stratus.testing.DirectOnnx;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.OnnxFiles;
import dev.stratus.bench.OpenLoop;
import dev.stratus.testing.SampleModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process serving a model repository folder as a user would lay it out: zero configuration for a copy
 * of a sample model, inferred entries for unknown models, several versions at once, a default switch under load,
 * and bad files that fail alone with one line each while the other models serve.
 */
class ModelRepositoryIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String VIEWER = "model-repository-it-viewer-0123456789";

    @TempDir
    Path tmp;

    @BeforeAll
    static void models() {
        SampleModels.ensureFetched();
    }

    static List<Tensor> clsInputs(int batch, long seed) {
        return List.copyOf(SampleInputs.of(SampleModels.spec("ocr-cls"), batch, seed).values());
    }

    /** What ONNX Runtime answers on the original sample file, called directly. */
    static Tensor direct(List<Tensor> inputs) throws Exception {
        return DirectOnnx.firstOutput("ocr-cls", inputs);
    }

    static void assertSameOutputs(Tensor expected, JsonNode output, String what) {
        DirectOnnx.assertSame(expected, output, what);
    }

    @Test
    void aRepositoryIsServedWithZeroConfigurationAndBadModelsFailAlone() throws Exception {
        Path repo = tmp.resolve("repo");
        Path cls = SampleModels.file("ocr-cls");
        OnnxFiles.copy(cls, repo.resolve("my-classifier/1/model.onnx"));
        OnnxFiles.identity(repo.resolve("identity/1/model.onnx"), OnnxFiles.FLOAT, -1, 4);
        Files.createDirectories(repo.resolve("broken/1"));
        Files.writeString(repo.resolve("broken/1/model.onnx"), "not a model\n");
        OnnxFiles.truncated(cls, repo.resolve("cut/1/model.onnx"), 30_000);
        OnnxFiles.identity(repo.resolve("strings/1/model.onnx"), OnnxFiles.STRING, -1);
        OnnxFiles.withModelVersion(cls, repo.resolve("needs-shape/1/model.onnx"), 7);
        Files.createDirectories(repo.resolve("empty-model"));
        LocalAdminToken admin = LocalAdminToken.in(tmp.resolve("tokens"));
        Files.writeString(admin.file(), "viewer " + VIEWER + "\n", StandardOpenOption.APPEND);
        try (WorkerProcess worker = WorkerProcess.start(List.of("--models-dir", repo.toString(), "--threads", "1",
                "--max-batch", "8", "--max-queue-delay-ms", "30", "--tokens", admin.file().toString()), 0,
                tmp.resolve("worker.log"))) {
            worker.awaitReady(Duration.ofMinutes(2));
            OipClient open = new OipClient("http://127.0.0.1:" + worker.port());
            OipClient client = open.as(admin.authorization());

            // The copy of ocr-cls answers exactly as ONNX Runtime does on the original file.
            List<Tensor> one = clsInputs(1, 5);
            OipClient.Response r = client.inferBinary("my-classifier", one, null);
            assertEquals(200, r.status(), r.text());
            JsonNode answer = JSON.readTree(r.body());
            assertEquals("my-classifier", answer.get("model_name").asText());
            assertEquals("1", answer.get("model_version").asText());
            assertSameOutputs(direct(one), answer.at("/outputs/0"), "my-classifier vs ONNX Runtime");
            JsonNode metadata = JSON.readTree(client.get("/v2/models/my-classifier").body());
            assertEquals("[\"1\"]", metadata.get("versions").toString());
            assertTrue(metadata.at("/parameters/batching").asText().contains("entry 'ocr-cls' of samples, same sha256"),
                    metadata.toString());

            // Concurrent requests are batched together (the batch-size histogram saw batches above 1).
            List<CompletableFuture<OipClient.Response>> burst = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                List<Tensor> in = clsInputs(1, 100 + i);
                burst.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return new OipClient("http://127.0.0.1:" + worker.port()).inferBinary("my-classifier", in,
                                null);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (int i = 0; i < burst.size(); i++) {
                OipClient.Response each = burst.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(200, each.status(), each.text());
                assertSameOutputs(direct(clsInputs(1, 100 + i)), JSON.readTree(each.body()).at("/outputs/0"),
                        "batched request " + i);
            }
            String metrics = client.get("/q/metrics").text();
            double batches = PrometheusText.value(metrics, "stratus_worker_batch_size_count", "model", "my-classifier");
            double items = PrometheusText.value(metrics, "stratus_worker_batch_size_sum", "model", "my-classifier");
            assertTrue(items > batches, "some batch held several requests: " + items + " items in " + batches
                    + " batches");

            // A model no catalog knows, with only its batch dim dynamic: inferred, served, batched.
            OipClient.Response id = client.inferJson("identity", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
                    + "\"shape\":[2,4],\"data\":[1,2,3,4,5,6,7,8]}]}");
            assertEquals(200, id.status(), id.text());
            assertEquals("[1.0,2.0,3.0,4.0,5.0,6.0,7.0,8.0]", JSON.readTree(id.body()).at("/outputs/0/data")
                    .toString());
            assertTrue(JSON.readTree(client.get("/v2/models/identity").body()).at("/parameters/batching").asText()
                    .startsWith("batched on the leading dimension"));

            // The repository endpoints change what is served: an admin token only (inference stays open).
            for (String path : List.of("/v2/repository/index", "/v2/repository/models/my-classifier/load")) {
                OipClient.Response anonymous = open.post(path, new byte[0]);
                assertEquals(401, anonymous.status(), path + ": " + anonymous.text());
                assertTrue(anonymous.text().contains("need an admin token"), anonymous.text());
                assertEquals("Bearer realm=\"stratus\"", anonymous.headers().get("www-authenticate").get(0));
                assertEquals(401, open.as("Bearer " + "x".repeat(43)).post(path, new byte[0]).status(), path);
                OipClient.Response viewer = open.as("Bearer " + VIEWER).post(path, new byte[0]);
                assertEquals(403, viewer.status(), path + ": " + viewer.text());
            }
            assertEquals(405, client.get("/v2/repository/index").status());

            // Each bad model failed alone, with its reason in the index, on its requests, and in one log line.
            JsonNode index = JSON.readTree(client.post("/v2/repository/index", new byte[0]).body());
            assertReason(index, "broken", "not an ONNX model");
            assertReason(index, "cut", "damaged or truncated");
            assertReason(index, "strings", "BYTES (strings)");
            assertReason(index, "needs-shape", "--input-shape x=1,3,H,W");
            OipClient.Response refused = client.inferJson("broken", "{\"inputs\":[{\"name\":\"x\",\"datatype\":"
                    + "\"FP32\",\"shape\":[1],\"data\":[1]}]}");
            assertEquals(503, refused.status());
            assertTrue(refused.text().contains("not an ONNX model"), refused.text());
            assertEquals(400, client.get("/v2/models/cut/ready").status());
            String log = Files.readString(worker.log());
            for (String bad : List.of("broken", "cut", "strings", "needs-shape")) {
                assertEquals(1, log.lines().filter(l -> l.contains("model " + bad + " version 1 cannot be served: "
                        + repo.toAbsolutePath().resolve(bad + "/1/model.onnx"))).count(), bad + ":\n" + log);
            }
            assertTrue(log.contains(repo.toAbsolutePath().resolve("empty-model") + ": no model"), log);
            assertFalse(log.contains("\tat "), "no stack trace in the log:\n" + log);
            assertEquals(0, worker.stop(Duration.ofSeconds(30)), worker.tail());
        }
    }

    private static void assertReason(JsonNode index, String model, String phrase) {
        for (JsonNode e : index) {
            if (e.get("name").asText().equals(model)) {
                assertEquals("FAILED", e.get("state").asText(), e.toString());
                assertTrue(e.get("reason").asText().contains(phrase), e.toString());
                return;
            }
        }
        throw new AssertionError("no " + model + " in " + index);
    }

    @Test
    void twoVersionsServeTogetherAndTheDefaultMovesUnderLoadWithoutLosingARequest() throws Exception {
        Path repo = tmp.resolve("versions");
        Path cls = SampleModels.file("ocr-cls");
        OnnxFiles.copy(cls, repo.resolve("my-classifier/1/model.onnx"));
        OnnxFiles.withModelVersion(cls, repo.resolve("my-classifier/2/model.onnx"), 2);
        LocalAdminToken admin = LocalAdminToken.in(tmp.resolve("tokens"));
        try (WorkerProcess worker = WorkerProcess.start(List.of("--models-dir", repo.toString(), "--threads", "1",
                "--max-batch", "4", "--input-shape", "x=1,3,48,192", "--tokens", admin.file().toString()), 0,
                tmp.resolve("worker.log"))) {
            worker.awaitReady(Duration.ofMinutes(2));
            OipClient client = new OipClient("http://127.0.0.1:" + worker.port(), admin.authorization());
            List<Tensor> in = clsInputs(1, 9);
            Tensor expected = direct(in);
            // Both versions at once; the unversioned path goes to the highest.
            JsonNode metadata = JSON.readTree(client.get("/v2/models/my-classifier").body());
            assertEquals("[\"1\",\"2\"]", metadata.get("versions").toString());
            assertEquals("2", metadata.at("/parameters/default_version").asText());
            for (String v : List.of("1", "2")) {
                OipClient.Response r = client.post("/v2/models/my-classifier/versions/" + v + "/infer",
                        json(in).getBytes(StandardCharsets.UTF_8));
                assertEquals(200, r.status(), r.text());
                assertEquals(v, JSON.readTree(r.body()).get("model_version").asText());
                assertSameOutputs(expected, JSON.readTree(r.body()).at("/outputs/0"), "version " + v);
            }
            assertEquals("2", version(client.inferJson("my-classifier", json(in))));
            // The entry a version is served with, in the catalog's format: version 2's was inferred.
            JsonNode entry = JSON.readTree(client.get("/v2/models/my-classifier/versions/2/config").body())
                    .get("entry");
            assertEquals("[1,3,48,192]", entry.at("/inputs/0/shape").toString());
            assertEquals(64, entry.get("maxBatchSize").asInt());
            OipClient.Response unknown = client.post("/v2/models/my-classifier/versions/9/infer",
                    json(in).getBytes(StandardCharsets.UTF_8));
            assertEquals(404, unknown.status());
            assertTrue(unknown.text().contains("no version '9'") && unknown.text().contains("[1, 2]"), unknown.text());

            // Pin version 1 as the default, then add version 3 and remove version 1, all under load.
            assertEquals(200, load(client, "{\"parameters\":{\"default_version\":\"1\"}}").status());
            assertEquals("1", version(client.inferJson("my-classifier", json(in))));
            assertEquals(400, load(client, "{\"parameters\":{\"default_version\":\"7\"}}").status());
            try (OpenLoop loop = new OpenLoop()) {
                CompletableFuture<List<OipClient.Response>> changes = CompletableFuture.supplyAsync(() -> {
                    try {
                        Thread.sleep(1500);
                        OipClient.Response unpin = load(client, "{\"parameters\":{\"default_version\":\"latest\"}}");
                        OnnxFiles.withModelVersion(cls, repo.resolve("my-classifier/3/model.onnx"), 3);
                        deleteTree(repo.resolve("my-classifier/1"));
                        OipClient.Response reload = load(client, "");
                        return List.of(unpin, reload);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                List<OpenLoop.Result> results = loop.run(worker.port(), "my-classifier", in,
                        List.of(new OpenLoop.Phase(40, 12)));
                for (OipClient.Response change : changes.get(60, TimeUnit.SECONDS)) {
                    assertEquals(200, change.status(), change.text());
                }
                assertEquals(loop.sent(), results.size(), "every request sent was answered");
                long failed = results.stream().filter(x -> x.status() != 200).count();
                assertEquals(0, failed, "no request lost or refused across the switch: " + results.stream()
                        .filter(x -> x.status() != 200).limit(5).toList());
            }
            JsonNode after = JSON.readTree(client.get("/v2/models/my-classifier").body());
            assertEquals("[\"2\",\"3\"]", after.get("versions").toString());
            assertEquals("3", version(client.inferJson("my-classifier", json(in))));
            assertEquals(404, client.get("/v2/models/my-classifier/versions/1").status());
            String log = Files.readString(worker.log());
            assertTrue(log.contains("model my-classifier reloaded: loaded [3], failed [], unloaded [1]; default "
                    + "version 3"), log);
            assertEquals(0, worker.stop(Duration.ofSeconds(30)), worker.tail());
        }
    }

    private static OipClient.Response load(OipClient client, String body) throws Exception {
        return client.post("/v2/repository/models/my-classifier/load", body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
    }

    private static String version(OipClient.Response r) throws Exception {
        assertEquals(200, r.status(), r.text());
        return JSON.readTree(r.body()).get("model_version").asText();
    }

    private static String json(List<Tensor> inputs) {
        return "{\"inputs\":[" + OipClient.jsonInput(inputs.get(0)) + "]}";
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
