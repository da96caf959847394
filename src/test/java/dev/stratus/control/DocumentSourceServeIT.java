package dev.stratus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.ServiceProcess;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.testing.DirectOnnx;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.OnnxFiles;
import dev.stratus.testing.SampleModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stratus serve} with an InferenceModel document that says where its file is ({@code spec.source}) and how
 * to warm it ({@code spec.inputShapes}): a model no catalog knows is checked, profiled on exactly that file, served
 * by workers that read the generated catalog, and answers through the gateway as ONNX Runtime does on the file.
 */
class DocumentSourceServeIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path file;
    static ServiceProcess serve;
    static OipClient client;

    static final String DOCUMENT = """
            apiVersion: stratus.dev/v1alpha1
            kind: InferenceModel
            metadata: {name: own-classifier}
            spec:
              source: {uri: %s}
              inputShapes: {x: [1, 3, 48, 192]}
              slo: {latencyMs: 1000, percentile: 99}
              expectedRatePerSecond: 10
              scaling: {minReplicas: 1, maxReplicas: 1, warmPool: 0}
            """;

    @BeforeAll
    static void start() throws Exception {
        SampleModels.ensureFetched();
        // The sample's graph under another model_version: another file, which no catalog entry describes.
        file = OnnxFiles.withModelVersion(SampleModels.file("ocr-cls"), dir.resolve("files/own-classifier.onnx"), 7);
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.copy(Path.of("examples/local/pool.yaml"), config.resolve("pool.yaml"));
        Files.writeString(config.resolve("own-classifier.yaml"), DOCUMENT.formatted(file));
        serve = ServiceProcess.start(ServiceProcess.Options.of(config, dir).withProfiles(dir.resolve("profiles")));
        client = new OipClient(serve.base(), serve.admin().authorization());
        // Up to 5 minutes: the model is profiled on this machine first.
        serve.awaitReady(Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void aDocumentsOwnFileIsProfiledServedAndKeptAsWritten() throws Exception {
        String log = Files.readString(serve.log());
        assertTrue(log.contains("Checking " + file.toAbsolutePath() + " for "), serve.tail());
        assertTrue(log.contains("no profile of own-classifier"), "profiled on first use");
        // Through the gateway, exactly what ONNX Runtime answers on the sample's graph.
        List<Tensor> in = List.copyOf(SampleInputs.of(SampleModels.spec("ocr-cls"), 1, 33).values());
        OipClient.Response r = client.inferJson("own-classifier", "{\"inputs\":[" + OipClient.jsonInput(in.get(0))
                + "]}");
        assertEquals(200, r.status(), r.text());
        DirectOnnx.assertSame(DirectOnnx.firstOutput("ocr-cls", in), JSON.readTree(r.body()).at("/outputs/0"),
                "own-classifier through the gateway");
        // The replica serves the entry inferred from the file, warmed with the document's shape.
        JsonNode entry = JSON.readTree(client.get("/v2/models/own-classifier/config").body()).get("entry");
        assertEquals("[1,3,48,192]", entry.at("/inputs/0/shape").toString(), entry.toString());
        assertEquals(file.toAbsolutePath().toString(), entry.at("/source/uri").asText().replaceFirst("^file:", ""),
                entry.toString());
        // The admin API keeps the source as written, and refuses to change it while running.
        OipClient.Response doc = client.get("/admin/v1/models/own-classifier");
        assertEquals(200, doc.status(), doc.text());
        assertTrue(doc.text().contains(file.toString()), doc.text());
        OipClient.Response moved = client.put("/admin/v1/models/own-classifier", DOCUMENT.formatted(
                dir.resolve("files/elsewhere.onnx")).getBytes(StandardCharsets.UTF_8), "Content-Type",
                "application/yaml");
        assertEquals(400, moved.status(), moved.text());
        assertTrue(moved.text().contains("spec.source: a model's source is read when the service starts"),
                moved.text());
    }
}
