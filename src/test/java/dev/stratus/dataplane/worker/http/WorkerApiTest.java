package dev.stratus.dataplane.worker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.dataplane.worker.onnx.OnnxEngineFactory;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.testing.GoodTraffic;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.SampleModels;
import dev.stratus.testing.SampleModelsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's Open Inference Protocol API over real HTTP, with real ONNX Runtime on the sample models
 * (test profile: ocr-cls, vad, wakeword; max batch 8; 1 MiB body limit).
 */
@QuarkusTest
@QuarkusTestResource(SampleModelsResource.class)
class WorkerApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    OipClient client;

    @BeforeEach
    void awaitReady() throws Exception {
        client = new OipClient(base.toString()).awaitReady(Duration.ofMinutes(2));
    }

    @Test
    void healthAndMetadata() throws Exception {
        assertEquals(200, client.get("/v2/health/live").status());
        JsonNode server = JSON.readTree(client.get("/v2").body());
        assertEquals("stratus", server.get("name").asText());
        assertTrue(server.get("extensions").toString().contains("binary_tensor_data"));

        JsonNode vad = JSON.readTree(client.get("/v2/models/vad").body());
        assertEquals("[\"1\"]", vad.get("versions").toString());
        assertEquals("onnxruntime_onnx", vad.get("platform").asText());
        assertEquals("[2,-1,128]", vad.at("/inputs/1/shape").toString());
        assertEquals("INT64", vad.at("/inputs/2/datatype").asText());
        assertEquals(200, client.get("/v2/models/vad/versions/1").status());
        assertEquals(200, client.get("/v2/models/vad/ready").status());
        assertEquals(200, client.get("/v2/models/vad/versions/1/ready").status());

        OipClient.Response unknown = client.get("/v2/models/resnet");
        assertEquals(404, unknown.status());
        assertTrue(unknown.text().contains("unknown model 'resnet'"), unknown.text());
        OipClient.Response badVersion = client.get("/v2/models/vad/versions/9/ready");
        assertEquals(404, badVersion.status());
        assertTrue(badVersion.text().contains("no version '9'"), badVersion.text());

        JsonNode health = JSON.readTree(client.get("/q/health/ready").body());
        assertEquals("UP", health.get("status").asText());
        JsonNode models = null;
        for (JsonNode check : health.get("checks")) {
            if (check.path("name").asText().equals("models")) {
                models = check;
            }
        }
        assertEquals("READY", models.at("/data/ocr-cls").asText(), health.toString());

        JsonNode config = JSON.readTree(client.get("/v2/models/wakeword/config").body());
        assertEquals(1, config.get("max_batch_size").asInt(), "wakeword is fixed at batch 1");
        assertEquals("READY", config.get("state").asText());
    }

    @Test
    void jsonInferenceEchoesIdAndMatchesOnnxRuntime() throws Exception {
        ModelSpec spec = SampleModels.spec("vad");
        Map<String, Tensor> inputs = SampleInputs.of(spec, 1, 5);
        String body = "{\"id\":\"req-42\",\"inputs\":[" + String.join(",", inputs.values().stream()
                .map(OipClient::jsonInput).toList()) + "]}";
        OipClient.Response r = client.inferJson("vad", body, "Content-Type", "application/json");
        assertEquals(200, r.status(), r.text());
        JsonNode out = JSON.readTree(r.body());
        assertEquals("req-42", out.get("id").asText());
        assertEquals("vad", out.get("model_name").asText());
        Map<String, Tensor> expected = direct(spec, inputs);
        for (JsonNode o : out.get("outputs")) {
            Tensor e = expected.get(o.get("name").asText());
            assertEquals(JSON.valueToTree(e.shape()).toString(), o.get("shape").toString());
            ByteBuffer eb = e.data();
            for (JsonNode v : o.get("data")) {
                assertEquals(eb.getFloat(), v.floatValue(), 1e-4);
            }
        }
    }

    @Test
    void binaryInferenceWithOutputSelection() throws Exception {
        ModelSpec spec = SampleModels.spec("ocr-cls");
        Map<String, Tensor> inputs = SampleInputs.of(spec, 2, 9);
        OipClient.Response r = client.inferBinary("ocr-cls", List.copyOf(inputs.values()),
                "\"outputs\":[{\"name\":\"softmax_0.tmp_0\",\"parameters\":{\"binary_data\":true}}]");
        assertEquals(200, r.status(), r.text());
        JsonNode header = JSON.readTree(r.header());
        assertEquals(16, header.at("/outputs/0/parameters/binary_data_size").asInt());
        assertEquals("[2,2]", header.at("/outputs/0/shape").toString());
        Tensor expected = direct(spec, inputs).get("softmax_0.tmp_0");
        ByteBuffer got = r.binary();
        ByteBuffer want = expected.data();
        for (int i = 0; i < 4; i++) {
            assertEquals(want.getFloat(), got.getFloat(), 1e-4);
        }
        // The versioned form answers the same.
        OipClient.Response versioned = client.post("/v2/models/ocr-cls/versions/1/infer", bodyOf(inputs),
                "Content-Type", "application/json");
        assertEquals(200, versioned.status(), versioned.text());
    }

    @Test
    void deadlinesThatCannotBeMetAreAnsweredAtOnce() throws Exception {
        ModelSpec spec = SampleModels.spec("ocr-cls");
        List<Tensor> inputs = List.copyOf(SampleInputs.of(spec, 1, 3).values());
        OipClient.Response timeout = client.inferBinary("ocr-cls", inputs, "\"parameters\":{\"timeout\":1}");
        assertEquals(504, timeout.status(), timeout.text());
        assertTrue(timeout.text().contains("deadline"), timeout.text());
        OipClient.Response header = client.inferBinary("ocr-cls", inputs, null, "Stratus-Deadline-Ms", "0");
        assertEquals(504, header.status(), header.text());
        OipClient.Response generous = client.inferBinary("ocr-cls", inputs, null, "Stratus-Deadline-Ms", "30000");
        assertEquals(200, generous.status(), generous.text());
        OipClient.Response bad = client.inferBinary("ocr-cls", inputs, null, "Stratus-Deadline-Ms", "soon");
        assertEquals(400, bad.status());
        assertTrue(bad.text().contains("Stratus-Deadline-Ms"), bad.text());
    }

    /** One bad request: where it goes, what it carries, the status and a phrase the error must contain. */
    record Bad(String what, String path, byte[] body, String[] headers, int status, String phrase) {
        static Bad json(String what, String model, String json, int status, String phrase) {
            return new Bad(what, "/v2/models/" + model + "/infer", json.getBytes(StandardCharsets.UTF_8),
                    new String[0], status, phrase);
        }
    }

    @Test
    void badInputGetsClearErrorsAndNeverDisturbsGoodTraffic() throws Exception {
        ModelSpec cls = SampleModels.spec("ocr-cls");
        List<Map<String, Tensor>> goodInputs = List.of(SampleInputs.of(cls, 1, 11), SampleInputs.of(cls, 1, 12));
        List<Tensor> expected = new ArrayList<>();
        for (Map<String, Tensor> in : goodInputs) {
            expected.add(direct(cls, in).get("softmax_0.tmp_0"));
        }
        OipClient c = new OipClient(base.toString());
        try (GoodTraffic traffic = GoodTraffic.start(3, (thread, i) -> {
            int which = (thread + i) % 2;
            OipClient.Response r = c.inferBinary("ocr-cls", List.copyOf(goodInputs.get(which).values()),
                    "\"parameters\":{\"binary_data_output\":true}");
            if (r.status() != 200) {
                return "status " + r.status() + ": " + r.text();
            }
            ByteBuffer got = r.binary();
            ByteBuffer want = expected.get(which).data();
            for (int k = 0; k < 2; k++) {
                if (Math.abs(got.getFloat() - want.getFloat()) > 1e-4) {
                    return "corrupted output for input " + which;
                }
            }
            return null;
        })) {
            traffic.besideRounds(() -> {
                for (Bad bad : badRequests(cls)) {
                    OipClient.Response r = client.post(bad.path(), bad.body(), bad.headers());
                    assertEquals(bad.status(), r.status(), bad.what() + ": " + r.text());
                    JsonNode error = JSON.readTree(r.body());
                    assertTrue(error.has("error"), bad.what() + ": no error body: " + r.text());
                    assertTrue(error.get("error").asText().contains(bad.phrase()), bad.what() + ": message '"
                            + error.get("error").asText() + "' lacks '" + bad.phrase() + "'");
                }
            });
        }
    }

    private List<Bad> badRequests(ModelSpec cls) throws Exception {
        Tensor x = SampleInputs.of(cls, 1, 1).get("x");
        String xJson = OipClient.jsonInput(x);
        byte[] raw = new byte[x.byteSize()];
        x.data().get(raw);
        String header = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3,48,192],"
                + "\"parameters\":{\"binary_data_size\":" + raw.length + "}}]}";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        byte[] shortBody = new byte[headerBytes.length + raw.length - 4];
        System.arraycopy(headerBytes, 0, shortBody, 0, headerBytes.length);
        String hl = Integer.toString(headerBytes.length);
        byte[] oversized = new byte[2 * 1024 * 1024];
        return List.of(
                Bad.json("malformed JSON", "ocr-cls", "{\"inputs\": [", 400, "malformed JSON"),
                Bad.json("not an object", "ocr-cls", "[1,2]", 400, "JSON object"),
                Bad.json("unknown model", "resnet", xJson, 404, "unknown model 'resnet'"),
                new Bad("unknown version", "/v2/models/ocr-cls/versions/7/infer", xJson.getBytes(), new String[0],
                        404, "no version '7'"),
                Bad.json("missing input", "vad", "{\"inputs\":[{\"name\":\"sr\",\"datatype\":\"INT64\","
                        + "\"shape\":[],\"data\":[16000]}]}", 400, "needs input(s) [input, state]"),
                Bad.json("extra input", "ocr-cls", "{\"inputs\":[" + xJson + ",{\"name\":\"y\",\"datatype\":\"FP32\","
                        + "\"shape\":[1],\"data\":[1]}]}", 400, "has no input(s) [y]"),
                Bad.json("wrong datatype", "ocr-cls", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT64\","
                        + "\"shape\":[1,3,2,2],\"data\":[1,2,3,4,5,6,7,8,9,10,11,12]}]}", 400,
                        "expected datatype FP32, got INT64"),
                Bad.json("unsupported datatype", "ocr-cls", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"BYTES\","
                        + "\"shape\":[1],\"data\":[\"a\"]}]}", 400, "expected datatype FP32, got BYTES"),
                Bad.json("wrong rank", "ocr-cls", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
                        + "\"shape\":[3,2],\"data\":[1,2,3,4,5,6]}]}", 400, "expected shape [-1, 3, -1, -1]"),
                Bad.json("wrong fixed dim", "ocr-cls", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
                        + "\"shape\":[1,1,2,2],\"data\":[1,2,3,4]}]}", 400, "got [1, 1, 2, 2]"),
                Bad.json("data length", "ocr-cls", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
                        + "\"shape\":[1,3,48,192],\"data\":[1,2,3]}]}", 400, "needs 27648 elements but 'data' has 3"),
                Bad.json("non-numeric", "ocr-cls", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
                        + "\"shape\":[1,3,1,1],\"data\":[1,\"two\",3]}]}", 400, "element 1 is not a number"),
                Bad.json("float for INT64", "vad", "{\"inputs\":[{\"name\":\"sr\",\"datatype\":\"INT64\","
                        + "\"shape\":[],\"data\":[1.5]}]}", 400, "not an integer"),
                Bad.json("batch over max", "ocr-cls", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
                        + "\"shape\":[9,3,1,1],\"data\":" + zeros(27) + "}]}", 400, "exceeds the max batch size 8"),
                Bad.json("fixed-batch model", "wakeword", "{\"inputs\":[{\"name\":\"onnx::Flatten_0\","
                        + "\"datatype\":\"FP32\",\"shape\":[2,25,96],\"data\":" + zeros(4800) + "}]}", 400,
                        "expected shape [1, 25, 96]"),
                Bad.json("unknown output", "ocr-cls", "{\"inputs\":[" + xJson + "],\"outputs\":[{\"name\":\"probs\"}]}",
                        400, "has no output 'probs'"),
                Bad.json("empty body", "ocr-cls", "", 400, "empty"),
                new Bad("binary sizes do not add up", "/v2/models/ocr-cls/infer", shortBody,
                        new String[] {"Inference-Header-Content-Length", hl}, 400, "add up to"),
                new Bad("header length beyond body", "/v2/models/ocr-cls/infer", headerBytes,
                        new String[] {"Inference-Header-Content-Length", "999999"}, 400,
                        "Inference-Header-Content-Length"),
                new Bad("body over the limit", "/v2/models/ocr-cls/infer", oversized, new String[0], 413,
                        "exceeds the limit of 1048576 bytes"));
    }

    @Test
    void metricsUseDocumentedNames() throws Exception {
        ModelSpec spec = SampleModels.spec("ocr-cls");
        assertEquals(200, client.inferBinary("ocr-cls", List.copyOf(SampleInputs.of(spec, 1, 2).values()), null)
                .status());
        String metrics = client.get("/q/metrics").text();
        for (String name : List.of("stratus_worker_request_duration_seconds_bucket{",
                "stratus_worker_queue_duration_seconds_bucket{", "stratus_worker_compute_duration_seconds_bucket{",
                "stratus_worker_batch_size_bucket{", "stratus_worker_requests_total{",
                "stratus_worker_pending_requests{", "stratus_worker_model_state{")) {
            assertTrue(metrics.contains(name), "missing metric " + name);
        }
        assertTrue(metrics.contains("stratus_worker_requests_total{model=\"ocr-cls\",outcome=\"success\"}"));
        assertTrue(metrics.contains("stratus_worker_model_state{model=\"vad\",state=\"READY\"} 1.0"));
        assertTrue(metrics.contains("le=\"0.001\"") && metrics.contains("le=\"2.0\""), "SLO buckets 1 ms .. 2 s");
    }

    private static String zeros(int n) {
        return "[" + String.join(",", Collections.nCopies(n, "0")) + "]";
    }

    private static byte[] bodyOf(Map<String, Tensor> inputs) {
        return ("{\"inputs\":[" + String.join(",", inputs.values().stream().map(OipClient::jsonInput).toList())
                + "]}").getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Tensor> direct(ModelSpec spec, Map<String, Tensor> inputs) throws Exception {
        try (InferenceEngine engine = new OnnxEngineFactory().load(spec, SampleModels.file(spec.name()), 1)) {
            return engine.infer(inputs, Set.of());
        }
    }
}
