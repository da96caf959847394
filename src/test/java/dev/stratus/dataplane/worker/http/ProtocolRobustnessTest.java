package dev.stratus.dataplane.worker.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.SampleModels;
import dev.stratus.testing.SampleModelsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What real clients send besides plain requests, over real HTTP to a worker on the sample models: compressed
 * bodies (as Triton's clients send them), decompression bombs, unknown codings, compressed answers, HEAD probes,
 * wrong methods, parameters this server does not implement.
 */
@QuarkusTest
@QuarkusTestResource(SampleModelsResource.class)
class ProtocolRobustnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The test profile's body limit (application.properties). */
    private static final int LIMIT = 1 << 20;

    @TestHTTPResource("/")
    URL base;

    OipClient client;

    @BeforeEach
    void awaitReady() throws Exception {
        client = new OipClient(base.toString()).awaitReady(java.time.Duration.ofMinutes(2));
    }

    static byte[] vadJson() {
        List<Tensor> inputs = List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 7).values());
        return ("{\"inputs\":[" + String.join(",", inputs.stream().map(OipClient::jsonInput).toList()) + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    /** zlib format when {@code raw} is false (what Python's zlib.compress makes), else a bare deflate stream. */
    static byte[] deflate(byte[] data, boolean raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            z.write(data);
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gzip", "x-gzip", "deflate", "raw deflate", "GZIP"})
    void compressedRequestsAreAnsweredLikePlainOnes(String coding) throws Exception {
        byte[] plain = vadJson();
        byte[] body = switch (coding.toLowerCase()) {
            case "gzip", "x-gzip" -> gzip(plain);
            case "deflate" -> deflate(plain, false);
            default -> deflate(plain, true);
        };
        String header = coding.equals("raw deflate") ? "deflate" : coding;
        OipClient.Response expected = client.post("/v2/models/vad/infer", plain, "Content-Type", "application/json");
        OipClient.Response r = client.post("/v2/models/vad/infer", body, "Content-Type", "application/json",
                "Content-Encoding", header);
        assertEquals(200, r.status(), r.text());
        assertEquals(JSON.readTree(expected.body()).get("outputs"), JSON.readTree(r.body()).get("outputs"));
    }

    @Test
    void aDecompressionBombIsRefusedAtTheLimitAndGoodRequestsGoOn() throws Exception {
        byte[] zeros = new byte[64 * LIMIT]; // 64 MiB of zeros: about 64 KiB compressed
        byte[] bomb = gzip(zeros);
        assertTrue(bomb.length < LIMIT / 8, "a small body: " + bomb.length);
        long start = System.nanoTime();
        OipClient.Response r = client.post("/v2/models/vad/infer", bomb, "Content-Type", "application/json",
                "Content-Encoding", "gzip");
        assertEquals(413, r.status(), r.text());
        assertTrue(r.text().contains("decodes (gzip) to more than the limit of " + LIMIT + " bytes"), r.text());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "refused without inflating it all");
        assertEquals(200, client.post("/v2/models/vad/infer", vadJson(), "Content-Type", "application/json")
                .status());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "br                | 415 | Content-Encoding 'br' is not supported",
            "compress          | 415 | Content-Encoding 'compress' is not supported",
            "'gzip, deflate'   | 415 | one coding",
            "gzip (not gzip)   | 400 | not valid gzip data"
    })
    void otherCodingsAndCorruptDataAreClearErrors(String coding, int status, String message) throws Exception {
        String header = coding.startsWith("gzip (") ? "gzip" : coding;
        OipClient.Response r = client.post("/v2/models/vad/infer", vadJson(), "Content-Type", "application/json",
                "Content-Encoding", header);
        assertEquals(status, r.status(), r.text());
        assertTrue(JSON.readTree(r.body()).get("error").asText().contains(message), r.text());
    }

    @Test
    void aTruncatedGzipBodyIs400() throws Exception {
        byte[] full = gzip(vadJson());
        byte[] cut = java.util.Arrays.copyOf(full, full.length / 2);
        OipClient.Response r = client.post("/v2/models/vad/infer", cut, "Content-Type", "application/json",
                "Content-Encoding", "gzip");
        assertEquals(400, r.status(), r.text());
    }

    @Test
    void largeAnswersAreCompressedForClientsThatAcceptIt() throws Exception {
        OipClient.Response plain = client.post("/v2/models/vad/infer", vadJson(), "Content-Type", "application/json");
        assertTrue(plain.headers().get("content-encoding") == null, "not asked for: not compressed");
        OipClient.Response zipped = client.post("/v2/models/vad/infer", vadJson(), "Content-Type",
                "application/json", "Accept-Encoding", "br;q=1, gzip;q=0.5");
        assertEquals(200, zipped.status());
        assertEquals(List.of("gzip"), zipped.headers().get("content-encoding"));
        assertTrue(zipped.body().length < plain.body().length);
        byte[] unzipped = new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes();
        assertArrayEquals(plain.body(), unzipped);
        OipClient.Response refused = client.post("/v2/models/vad/infer", vadJson(), "Content-Type",
                "application/json", "Accept-Encoding", "gzip;q=0, identity");
        assertTrue(refused.headers().get("content-encoding") == null, "q=0 refuses gzip");
        // ocr-cls answers with 8 bytes: below the threshold, never compressed.
        OipClient.Response small = client.inferBinary("ocr-cls", List.copyOf(SampleInputs.of(
                SampleModels.spec("ocr-cls"), 1, 3).values()), null, "Accept-Encoding", "gzip");
        assertEquals(200, small.status());
        assertTrue(small.headers().get("content-encoding") == null, "small answers are sent as they are");
    }

    @Test
    void headOnHealthAnswersLikeGetWithoutABody() throws Exception {
        for (String path : List.of("/v2/health/live", "/v2/health/ready", "/v2/models/vad/ready", "/q/health/live",
                "/q/health/ready")) {
            OipClient.Response head = client.send("HEAD", path, new byte[0]);
            assertEquals(client.get(path).status(), head.status(), path);
            assertEquals(0, head.body().length, path);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "DELETE | /v2/health/live       | GET, HEAD",
            "POST   | /v2/health/ready      | GET, HEAD",
            "PUT    | /v2/models/vad/infer  | POST",
            "GET    | /v2/models/vad/infer  | POST",
            "DELETE | /v2/models/vad        | GET",
            "POST   | /v2                   | GET"
    })
    void aWrongMethodIs405WithAnErrorBody(String method, String path, String allow) throws Exception {
        OipClient.Response r = client.send(method, path, new byte[0]);
        assertEquals(405, r.status(), r.text());
        assertEquals(List.of(allow), r.headers().get("allow"));
        assertTrue(JSON.readTree(r.body()).get("error").asText().contains("method " + method + " is not allowed"),
                r.text());
    }

    @Test
    void parametersThisServerDoesNotImplementAre400NamingThem() throws Exception {
        List<Tensor> inputs = List.copyOf(SampleInputs.of(SampleModels.spec("ocr-cls"), 1, 3).values());
        OipClient.Response r = client.inferBinary("ocr-cls", inputs,
                "\"outputs\":[{\"name\":\"softmax_0.tmp_0\",\"parameters\":{\"classification\":1}}]");
        assertEquals(400, r.status(), r.text());
        assertTrue(r.text().contains("parameter 'classification' is not supported"), r.text());
        OipClient.Response seq = client.inferBinary("ocr-cls", inputs, "\"parameters\":{\"sequence_id\":1}");
        assertEquals(400, seq.status(), seq.text());
        assertTrue(seq.text().contains("'sequence_id'"), seq.text());
    }
}
