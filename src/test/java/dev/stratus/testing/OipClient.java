package dev.stratus.testing;

import dev.stratus.core.model.Tensor;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A plain HTTP client for the Open Inference Protocol, for tests: JSON and binary requests, raw bodies. */
public final class OipClient {
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The JSON part of a binary-extension response (or the whole body). */
        public String header() {
            return headers.getOrDefault("inference-header-content-length", List.of()).stream().findFirst()
                    .map(n -> new String(body, 0, Integer.parseInt(n), StandardCharsets.UTF_8)).orElse(text());
        }

        /** The binary section of a binary-extension response. */
        public ByteBuffer binary() {
            int n = headers.getOrDefault("inference-header-content-length", List.of("0")).stream().findFirst()
                    .map(Integer::parseInt).orElse(0);
            return ByteBuffer.wrap(body, n, body.length - n).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    /** Sent as the Authorization header of every request, when set. */
    private final String authorization;

    public OipClient(String base) {
        this(base, null);
    }

    /** @param authorization the Authorization header of every request (e.g. "Bearer TOKEN"), or null */
    public OipClient(String base, String authorization) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.authorization = authorization;
    }

    /** Polls {@code /v2/health/ready} until it answers 200; fails after {@code timeout}. */
    public OipClient awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get("/v2/health/ready").status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(base + " not ready after " + timeout);
            }
            Thread.sleep(100);
        }
        return this;
    }

    /** The same server as another client. */
    public OipClient as(String otherAuthorization) {
        return new OipClient(base, otherAuthorization);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    public Response get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.headers().map(), r.body());
    }

    public Response put(String path, byte[] body, String... headers) throws Exception {
        return send("PUT", path, body, headers);
    }

    public Response delete(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.headers().map(), r.body());
    }

    public Response post(String path, byte[] body, String... headers) throws Exception {
        return send("POST", path, body, headers);
    }

    /** Any method, e.g. HEAD or a wrong one. */
    public Response send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = request(path).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.headers().map(), r.body());
    }

    /** An inference request in the binary extension: JSON header then the raw input bytes. */
    public Response inferBinary(String model, List<Tensor> inputs, String extraJson, String... headers)
            throws Exception {
        StringBuilder json = new StringBuilder("{\"inputs\":[");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = inputs.get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(t.name()).append("\",\"datatype\":\"")
                    .append(t.datatype()).append("\",\"shape\":").append(Arrays.toString(t.shape()))
                    .append(",\"parameters\":{\"binary_data_size\":").append(t.byteSize()).append("}}");
            byte[] bytes = new byte[t.byteSize()];
            t.data().get(bytes);
            raw.writeBytes(bytes);
        }
        json.append("]").append(extraJson == null ? "" : "," + extraJson).append("}");
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[header.length + raw.size()];
        System.arraycopy(header, 0, body, 0, header.length);
        System.arraycopy(raw.toByteArray(), 0, body, header.length, raw.size());
        String[] all = Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Inference-Header-Content-Length";
        all[headers.length + 1] = Integer.toString(header.length);
        return post("/v2/models/" + model + "/infer", body, all);
    }

    /** An inference request as plain JSON. */
    public Response inferJson(String model, String json, String... headers) throws Exception {
        return post("/v2/models/" + model + "/infer", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** JSON for a tensor's data as a flat array. */
    public static String jsonInput(Tensor t) {
        StringBuilder s = new StringBuilder("{\"name\":\"").append(t.name()).append("\",\"datatype\":\"")
                .append(t.datatype()).append("\",\"shape\":").append(Arrays.toString(t.shape())).append(",\"data\":[");
        ByteBuffer b = t.data();
        for (long i = 0; i < t.elementCount(); i++) {
            s.append(i == 0 ? "" : ",");
            switch (t.datatype()) {
                case FP32 -> s.append(b.getFloat());
                case INT64 -> s.append(b.getLong());
                default -> throw new IllegalArgumentException(t.datatype().toString());
            }
        }
        return s.append("]}").toString();
    }
}
