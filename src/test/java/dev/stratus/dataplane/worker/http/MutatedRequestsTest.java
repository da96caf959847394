package dev.stratus.dataplane.worker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.protocol.OipBinaryRequest;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.SampleModels;
import dev.stratus.testing.SampleModelsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Thousands of mutated requests (seeded, so a failure replays) sent over real HTTP to a worker on the sample
 * models while good requests run beside them: every mutated request gets a protocol answer (a success or a 4xx
 * with an error body), never a 500 or a hang, and every good request succeeds. The decoder itself is fuzzed,
 * coverage-guided, by OipDecoderFuzzTest; this covers what lies around it on the wire (headers, codings, the
 * binary split, validation against the model).
 */
@QuarkusTest
@QuarkusTestResource(SampleModelsResource.class)
class MutatedRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 2000;
    private static final Set<Integer> PROTOCOL_ANSWERS = Set.of(200, 400, 404, 413, 415, 429, 503, 504);

    @TestHTTPResource("/")
    URL base;

    /** A request as it goes on the wire: path, body and headers. */
    private record Wire(String path, byte[] body, List<String> headers) {
    }

    @Test
    void mutatedRequestsGetProtocolAnswersAndGoodOnesAreUnaffected() throws Exception {
        OipClient client = new OipClient(base.toString()).awaitReady(java.time.Duration.ofMinutes(2));
        List<Tensor> vad = List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 3).values());
        List<Tensor> cls = List.copyOf(SampleInputs.of(SampleModels.spec("ocr-cls"), 2, 3).values());
        byte[] vadJson = ("{\"id\":\"m\",\"inputs\":[" + String.join(",", vad.stream().map(OipClient::jsonInput)
                .toList()) + "],\"outputs\":[{\"name\":\"output\"}]}").getBytes(StandardCharsets.UTF_8);
        OipBinaryRequest binary = OipBinaryRequest.of(cls);
        List<Wire> seeds = List.of(
                new Wire("/v2/models/vad/infer", vadJson, List.of("Content-Type", "application/json")),
                new Wire("/v2/models/ocr-cls/infer", binary.body(), List.of("Content-Type",
                        "application/octet-stream", "Inference-Header-Content-Length",
                        Integer.toString(binary.headerLength()))));
        for (Wire seed : seeds) {
            OipClient.Response r = client.post(seed.path(), seed.body(), seed.headers().toArray(String[]::new));
            assertEquals(200, r.status(), "seed " + seed.path() + ": " + r.text());
        }

        AtomicBoolean mutating = new AtomicBoolean(true);
        CompletableFuture<List<Integer>> good = CompletableFuture.supplyAsync(() -> {
            List<Integer> statuses = new ArrayList<>();
            try {
                while (mutating.get()) {
                    statuses.add(client.inferBinary("vad", vad, null).status());
                    statuses.add(client.inferBinary("ocr-cls", cls, null).status());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return statuses;
        });
        Random random = new Random(20261204);
        Map<Integer, Integer> byStatus = new TreeMap<>();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                Wire w = mutate(seeds.get(random.nextInt(seeds.size())), random);
                OipClient.Response r = client.post(w.path(), w.body(), w.headers().toArray(String[]::new));
                byStatus.merge(r.status(), 1, Integer::sum);
                String what = "request " + i + " " + w.headers() + " -> " + r.status() + " " + r.text();
                assertTrue(PROTOCOL_ANSWERS.contains(r.status()), what);
                if (r.status() != 200) {
                    JsonNode error = JSON.readTree(r.body());
                    assertTrue(error.path("error").isTextual() && !error.path("error").asText().isBlank(), what);
                }
            }
        } finally {
            mutating.set(false);
        }
        List<Integer> goodStatuses = good.get(2, TimeUnit.MINUTES);
        assertTrue(goodStatuses.size() >= 2, "good requests ran alongside");
        assertTrue(goodStatuses.stream().allMatch(s -> s == 200), "good requests all served: " + goodStatuses);
        assertTrue(byStatus.getOrDefault(400, 0) > REQUESTS / 4, "mostly refused as malformed: " + byStatus);
    }

    /** One to four mutations of the body, and sometimes of a header or the coding. */
    private static Wire mutate(Wire seed, Random random) throws Exception {
        byte[] body = seed.body().clone();
        List<String> headers = new ArrayList<>(seed.headers());
        int rounds = 1 + random.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            body = switch (random.nextInt(8)) {
                case 0 -> flip(body, random);
                case 1 -> insert(body, random);
                case 2 -> delete(body, random);
                case 3 -> Arrays.copyOf(body, random.nextInt(body.length + 1)); // truncated
                case 4 -> duplicate(body, random);
                case 5 -> replace(body, random, new String[] {"[", "]", "{", "}", ",", ":", "\"", "-1", "1e999",
                        "null", "true", "\"FP16\"", "\"BYTES\"", "99999999999", "[[[[[[", "\"shape\"", "\"data\""});
                case 6 -> {
                    setHeader(headers, "Inference-Header-Content-Length", Integer.toString(random.nextInt(
                            body.length + 2) - 1));
                    yield body;
                }
                default -> {
                    setHeader(headers, "Content-Type", random.nextBoolean() ? "text/plain" : "application/json");
                    yield body;
                }
            };
        }
        if (random.nextInt(10) == 0) {
            int kind = random.nextInt(3);
            setHeader(headers, "Content-Encoding", kind == 0 ? "gzip" : kind == 1 ? "deflate" : "zstd");
            if (kind == 0 && random.nextBoolean()) {
                body = gzip(body); // valid gzip around a mutated body
            }
        }
        return new Wire(seed.path(), body, headers);
    }

    private static byte[] flip(byte[] b, Random r) {
        if (b.length > 0) {
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }

    private static byte[] insert(byte[] b, Random r) {
        int at = r.nextInt(b.length + 1);
        byte[] extra = new byte[1 + r.nextInt(16)];
        r.nextBytes(extra);
        return concat(Arrays.copyOf(b, at), extra, Arrays.copyOfRange(b, at, b.length));
    }

    private static byte[] delete(byte[] b, Random r) {
        if (b.length == 0) {
            return b;
        }
        int from = r.nextInt(b.length);
        int to = Math.min(b.length, from + 1 + r.nextInt(32));
        return concat(Arrays.copyOf(b, from), Arrays.copyOfRange(b, to, b.length));
    }

    private static byte[] duplicate(byte[] b, Random r) {
        if (b.length == 0) {
            return b;
        }
        int from = r.nextInt(b.length);
        int to = Math.min(b.length, from + 1 + r.nextInt(64));
        return concat(Arrays.copyOf(b, to), Arrays.copyOfRange(b, from, b.length));
    }

    private static byte[] replace(byte[] b, Random r, String[] tokens) {
        int at = r.nextInt(b.length + 1);
        int to = Math.min(b.length, at + r.nextInt(8));
        return concat(Arrays.copyOf(b, at), tokens[r.nextInt(tokens.length)].getBytes(StandardCharsets.UTF_8),
                Arrays.copyOfRange(b, to, b.length));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static void setHeader(List<String> headers, String name, String value) {
        for (int i = 0; i < headers.size(); i += 2) {
            if (headers.get(i).equalsIgnoreCase(name)) {
                headers.set(i + 1, value);
                return;
            }
        }
        headers.add(name);
        headers.add(value);
    }
}
