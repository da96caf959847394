package dev.stratus.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.AppCommand;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.dataplane.worker.onnx.OnnxEngineFactory;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.QueuedRequests;
import dev.stratus.testing.SampleModels;
import dev.stratus.testing.container.ContainerTests;
import dev.stratus.testing.container.ModelVolume;
import dev.stratus.testing.container.StratusContainer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker role in a real container of the image built here: a read-only model volume and root file system,
 * host networking, outputs identical to ONNX Runtime on the host, {@code docker stop} draining, a damaged model
 * refused. See docs/container.md.
 */
@ExtendWith(ContainerTests.class)
class WorkerContainerIT {
    static final ObjectMapper JSON = new ObjectMapper();

    static List<String> worker(int port, String... more) {
        List<String> args = new ArrayList<>(List.of("worker", "--port", Integer.toString(port), "--host", "127.0.0.1",
                "--threads", "1"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void servesFromAReadOnlyVolumeWithTheOutputsOfOnnxRuntimeOnTheHost() throws Exception {
        int port = AppCommand.freePort();
        try (ModelVolume models = ModelVolume.of("ocr-cls", "vad");
                StratusContainer worker = new StratusContainer(models, port, worker(port, "--models", "ocr-cls,vad"))
                        .readOnlyRoot()) {
            worker.start();
            worker.awaitStatus("/v2/health/ready", 200, Duration.ofMinutes(2));
            OipClient client = worker.client();
            assertEquals(200, client.get("/v2/health/live").status());
            assertEquals(200, client.get("/q/health/ready").status());
            JsonNode metadata = JSON.readTree(client.get("/v2/models/ocr-cls").body());
            assertEquals("onnxruntime_onnx", metadata.path("platform").asText(), metadata.toString());
            assertEquals("x", metadata.at("/inputs/0/name").asText(), metadata.toString());
            assertEquals("10001", worker.execInContainer("id", "-u").getStdout().trim(), "runs as the non-root user");

            // JSON: vad, every output (its outputs include the recurrent state), against ORT called here.
            ModelSpec vad = SampleModels.spec("vad");
            Map<String, Tensor> vadInputs = SampleInputs.of(vad, 1, 21);
            OipClient.Response json = client.inferJson("vad", "{\"inputs\":[" + String.join(",",
                    vadInputs.values().stream().map(OipClient::jsonInput).toList()) + "]}");
            assertEquals(200, json.status(), json.text());
            Map<String, Tensor> expected = direct(vad, vadInputs);
            JsonNode outputs = JSON.readTree(json.body()).path("outputs");
            assertEquals(expected.size(), outputs.size(), json.text());
            for (JsonNode o : outputs) {
                Tensor e = expected.get(o.path("name").asText());
                assertEquals(JSON.valueToTree(e.shape()).toString(), o.path("shape").toString());
                ByteBuffer want = e.data();
                for (JsonNode v : o.path("data")) {
                    assertEquals(want.getFloat(), v.floatValue(), 1e-4, o.path("name").asText());
                }
            }

            // Binary in and out: ocr-cls, a batch of three.
            ModelSpec cls = SampleModels.spec("ocr-cls");
            Map<String, Tensor> clsInputs = SampleInputs.of(cls, 3, 22);
            OipClient.Response binary = client.inferBinary("ocr-cls", List.copyOf(clsInputs.values()),
                    "\"parameters\":{\"binary_data_output\":true}");
            assertEquals(200, binary.status(), binary.text());
            Tensor want = direct(cls, clsInputs).get("softmax_0.tmp_0");
            ByteBuffer got = binary.binary();
            ByteBuffer wantData = want.data();
            assertEquals(wantData.remaining(), got.remaining(), binary.header());
            while (wantData.hasRemaining()) {
                assertEquals(wantData.getFloat(), got.getFloat(), 1e-4);
            }

            // Bad input is answered with the protocol's error body, as outside a container.
            OipClient.Response bad = client.inferJson("ocr-cls", "{\"inputs\":[{\"name\":\"x\"}]}");
            assertEquals(400, bad.status());
            assertTrue(JSON.readTree(bad.body()).hasNonNull("error"), bad.text());
            assertTrue(worker.log().contains("not writable"), "the model volume is read-only: " + worker.tail());
        }
    }

    @Test
    void dockerStopDrainsAnswersEveryQueuedRequestAndExitsZero() throws Exception {
        int port = AppCommand.freePort();
        ModelSpec det = SampleModels.spec("ocr-det");
        List<Tensor> inputs = List.copyOf(SampleInputs.of(det, 1, 3).values());
        try (ModelVolume models = ModelVolume.of("ocr-det");
                StratusContainer worker = new StratusContainer(models, port, worker(port, "--models", "ocr-det",
                        "--max-batch", "2", "--max-queue-delay-ms", "1")).readOnlyRoot()) {
            worker.start();
            worker.awaitStatus("/v2/health/ready", 200, Duration.ofMinutes(2));
            // Sixteen detection requests at 2 per batch of tens of ms: most are still queued when the stop lands.
            List<CompletableFuture<OipClient.Response>> inFlight = QueuedRequests.send("http://127.0.0.1:" + port,
                    "ocr-det", inputs, 16);
            QueuedRequests.awaitAccepted(worker.client(), "ocr-det", inFlight.size());
            long exit = worker.stopGracefully(Duration.ofSeconds(60)); // docker stop: SIGTERM through tini
            for (CompletableFuture<OipClient.Response> f : inFlight) {
                OipClient.Response r = f.get(60, TimeUnit.SECONDS);
                assertEquals(200, r.status(), "a request accepted before the stop must be answered: " + r.text());
            }
            assertEquals(0, exit, worker.tail());
            assertTrue(worker.log().contains("drain complete"), worker.tail());
        }
    }

    @Test
    void aModelWithABadChecksumIsRefusedWithTheReasonAndTheWorkerIsNotReady() throws Exception {
        try (ModelVolume models = ModelVolume.of("ocr-cls", "vad").corrupt("vad")) {
            int port = AppCommand.freePort();
            try (StratusContainer worker = new StratusContainer(models, port, worker(port, "--models", "ocr-cls,vad",
                    "--no-exit-on-load-failure")).readOnlyRoot()) {
                worker.start();
                worker.awaitStatus("/v2/models/ocr-cls/ready", 200, Duration.ofMinutes(2));
                OipClient client = worker.client();
                OipClient.Response health = awaitFailed(worker, "vad");
                assertEquals(503, health.status());
                assertTrue(health.text().contains("sha256"), health.text());
                assertEquals(400, client.get("/v2/health/ready").status(), "not ready while a model is refused");
                assertTrue(client.get("/v2/models/vad/ready").status() != 200);
                OipClient.Response refused = client.inferBinary("vad", List.copyOf(SampleInputs.of(
                        SampleModels.spec("vad"), 1, 1).values()), null);
                assertEquals(503, refused.status(), refused.text());
                assertTrue(JSON.readTree(refused.body()).path("error").asText().contains("vad"), refused.text());
                assertEquals(200, client.inferBinary("ocr-cls", List.copyOf(SampleInputs.of(
                        SampleModels.spec("ocr-cls"), 1, 1).values()), null).status(), "the other model serves");
                assertTrue(worker.log().contains("model 'vad' at /models/vad.onnx has sha256")
                        && worker.log().contains("but the catalog expects"), worker.tail());
            }
            // By default a worker does not serve with a model missing: it says why and exits 1.
            int port2 = AppCommand.freePort();
            try (StratusContainer strict = new StratusContainer(models, port2, worker(port2, "--models", "vad"))
                    .readOnlyRoot()) {
                strict.start();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (strict.isRunning() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(1, strict.exitCode(), strict.tail());
                assertTrue(strict.log().contains("has sha256") && strict.log().contains("stopping"), strict.tail());
            }
        }
    }

    /** Waits until the readiness check reports {@code model} FAILED (models load one after another). */
    static OipClient.Response awaitFailed(StratusContainer worker, String model) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        OipClient.Response health = worker.client().get("/q/health/ready");
        while (!state(health, model).startsWith("FAILED") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            health = worker.client().get("/q/health/ready");
        }
        assertTrue(state(health, model).startsWith("FAILED"), health.text() + worker.tail());
        return health;
    }

    /** A model's state in the readiness check's data: READY, LOADING, ... or "FAILED: why". */
    static String state(OipClient.Response health, String model) throws Exception {
        for (JsonNode check : JSON.readTree(health.body()).path("checks")) {
            if (check.path("name").asText().equals("models")) {
                return check.path("data").path(model).asText();
            }
        }
        return "";
    }

    static Map<String, Tensor> direct(ModelSpec spec, Map<String, Tensor> inputs) throws Exception {
        try (InferenceEngine engine = new OnnxEngineFactory().load(spec, SampleModels.file(spec.name()), 1)) {
            return engine.infer(inputs, Set.of());
        }
    }

}
