package dev.stratus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.ServiceProcess;
import dev.stratus.bench.OpenLoop;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.host.HardwareIdentity;
import dev.stratus.metrics.PrometheusText;
import dev.stratus.security.LocalAdminToken;
import dev.stratus.testing.DirectOnnx;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.OnnxFiles;
import dev.stratus.testing.SampleModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stratus serve --models-dir} as a user runs it: a copy of a sample model dropped into a repository folder
 * is profiled on first use, planned, started and routed by the gateway; a second version added to the folder is
 * checked and profiled before any request goes to it, and the switch under load loses no request.
 */
class RepositoryServeIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path repo;
    static Path profiles;
    static ServiceProcess serve;
    static int port;
    static OipClient client;
    static LocalAdminToken admin;

    @BeforeAll
    static void start() throws Exception {
        SampleModels.ensureFetched();
        repo = dir.resolve("repo");
        profiles = dir.resolve("profiles");
        OnnxFiles.copy(SampleModels.file("ocr-cls"), repo.resolve("my-classifier/1/model.onnx"));
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.copy(Path.of("examples/local/pool.yaml"), config.resolve("pool.yaml"));
        // Only to keep the machine light while the test's own load runs: one replica, no standby, and an objective
        // loose enough for the profiler's workers sharing the two cores.
        Files.writeString(config.resolve("my-classifier.yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: my-classifier}
                spec:
                  slo: {latencyMs: 1000, percentile: 99}
                  expectedRatePerSecond: 10
                  scaling: {minReplicas: 1, maxReplicas: 1, warmPool: 0}
                """);
        // The test's own token file: the service's workers read it too, and the rollout sends its admin token.
        serve = ServiceProcess.start(ServiceProcess.Options.of(config, dir).withProfiles(profiles).withArgs(List.of(
                "--models-dir", repo.toString(), "--input-shape", "x=1,3,48,192")));
        port = serve.port();
        admin = serve.admin();
        client = new OipClient(serve.base(), admin.authorization());
        // Up to 5 minutes: the model is profiled on this machine first.
        serve.awaitReady(Duration.ofMinutes(5));
    }

    static String log() {
        return serve.tail();
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
    }

    static List<Tensor> inputs(long seed) {
        return List.copyOf(SampleInputs.of(SampleModels.spec("ocr-cls"), 1, seed).values());
    }

    static Tensor direct(List<Tensor> in) throws Exception {
        return DirectOnnx.firstOutput("ocr-cls", in);
    }

    static JsonNode infer(List<Tensor> in) throws Exception {
        OipClient.Response r = client.inferJson("my-classifier", "{\"inputs\":[" + OipClient.jsonInput(in.get(0))
                + "]}");
        assertEquals(200, r.status(), r.text());
        return JSON.readTree(r.body());
    }

    static void assertSame(Tensor expected, JsonNode answer) {
        DirectOnnx.assertSame(expected, answer.at("/outputs/0"), "my-classifier through the gateway");
    }

    static String profile() throws Exception {
        Path file = profiles.resolve("my-classifier").resolve(HardwareIdentity.detect(false).id() + ".yaml");
        return Files.isRegularFile(file) ? Files.readString(file) : "";
    }

    @Test
    void aRepositoryModelIsProfiledServedBatchedAndSwitchedToANewVersionWithoutLosingARequest() throws Exception {
        assertTrue(profile().contains("repository model my-classifier version 1"), "profiled on first use: "
                + profile());
        // The replica's request path was warmed with requests built from the entry it serves (no catalog has it).
        int replicaPort = -1;
        for (JsonNode r : JSON.readTree(client.get("/admin/v1/fleet").text())) {
            if (r.path("state").asText().equals("SERVING")) {
                replicaPort = r.path("port").asInt();
            }
        }
        OipClient replica = new OipClient("http://127.0.0.1:" + replicaPort);
        // The replica's repository endpoints change what it serves: the service's admin token, and nothing else.
        assertEquals(401, replica.post("/v2/repository/index", new byte[0]).status());
        OipClient.Response index = replica.as(admin.authorization()).post("/v2/repository/index", new byte[0]);
        assertEquals(200, index.status(), index.text());
        assertEquals("my-classifier", JSON.readTree(index.body()).at("/0/name").asText(), index.text());
        assertTrue(PrometheusText.value(replica.get("/q/metrics").text(), "stratus_worker_requests_total", "model",
                "my-classifier", "outcome", "success") > 0, "warmed over HTTP before it served");
        // Through the gateway, exactly what ONNX Runtime answers on the original sample file.
        List<Tensor> in = inputs(21);
        JsonNode answer = infer(in);
        assertEquals("1", answer.get("model_version").asText());
        assertSame(direct(in), answer);
        assertEquals(200, client.get("/v2/models/my-classifier/versions/1/ready").status());
        assertEquals(404, client.get("/v2/models/my-classifier/versions/5/ready").status());

        // Requests arriving together are batched by the replica.
        List<CompletableFuture<OipClient.Response>> burst = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            List<Tensor> each = inputs(200 + i);
            burst.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return new OipClient("http://127.0.0.1:" + port).inferBinary("my-classifier", each, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<OipClient.Response> f : burst) {
            assertEquals(200, f.get(60, TimeUnit.SECONDS).status());
        }
        String metrics = replica.get("/q/metrics").text();
        double batches = PrometheusText.value(metrics, "stratus_worker_batch_size_count", "model", "my-classifier");
        double items = PrometheusText.value(metrics, "stratus_worker_batch_size_sum", "model", "my-classifier");
        assertTrue(items > batches, items + " items in " + batches + " batches");

        // A second version (another file: same graph, other model_version) lands in the folder under load.
        // OpenLoop accumulates: each run returns every result so far.
        List<OpenLoop.Result> results;
        long sent;
        String firstAnswerOfVersion2Profile = null;
        try (OpenLoop load = new OpenLoop()) {
            load.run(port, "my-classifier", in, List.of(new OpenLoop.Phase(10, 3)));
            OnnxFiles.withModelVersion(SampleModels.file("ocr-cls"), repo.resolve("my-classifier/2/model.onnx"), 2);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < deadline) {
                load.run(port, "my-classifier", in, List.of(new OpenLoop.Phase(10, 3)));
                if (infer(in).get("model_version").asText().equals("2")) {
                    firstAnswerOfVersion2Profile = profile();
                    break;
                }
            }
            results = load.run(port, "my-classifier", in, List.of(new OpenLoop.Phase(10, 3)));
            sent = load.sent();
        }
        assertTrue(firstAnswerOfVersion2Profile != null, "version 2 never became the default: " + log());
        assertTrue(firstAnswerOfVersion2Profile.contains("repository model my-classifier version 2"),
                "version 2 was profiled before any request went to it: " + firstAnswerOfVersion2Profile);
        assertEquals(sent, results.size(), "every request sent was answered");
        assertEquals(List.of(), results.stream().filter(r -> r.status() != 200).limit(10).toList(),
                "no request lost or refused across the switch");
        assertSame(direct(in), infer(in));
        JsonNode metadata = JSON.readTree(client.get("/v2/models/my-classifier").text());
        assertEquals("[\"1\",\"2\"]", metadata.get("versions").toString());
        assertEquals(200, client.post("/v2/models/my-classifier/versions/1/infer", ("{\"inputs\":["
                + OipClient.jsonInput(in.get(0)) + "]}").getBytes()).status(), "version 1 still serves by name");
        String events = client.get("/admin/v1/events?limit=500").text();
        assertTrue(events.contains("\"VERSION\"") && events.contains("default 2"), events);
    }
}
