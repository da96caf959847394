package dev.stratus.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server standing in for a Stratus gateway: it checks every inference request against the OIP binary
 * tensor format (and against the inputs the scenario declared), then answers as its {@link Rule} says.
 */
final class FakeOipServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INFER = Pattern.compile("/v2/models/([^/]+)/infer");

    /** What to do with one request: answer {@code status} after {@code delayMs}, or close without answering. */
    record Reply(int status, long delayMs, boolean drop) {
        static Reply status(int status) {
            return new Reply(status, 0, false);
        }

        static Reply delayed(int status, long delayMs) {
            return new Reply(status, delayMs, false);
        }

        static Reply dropConnection() {
            return new Reply(0, 0, true);
        }
    }

    interface Rule {
        /** @param index 0-based count of requests this server has received for {@code model} */
        Reply reply(String model, long index);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Rule rule;
    private final Map<String, List<InputSpec>> expectedInputs;
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();
    private final Map<String, String> deadlineHeaders = new ConcurrentHashMap<>();
    private final Map<String, byte[]> lastBodies = new ConcurrentHashMap<>();

    /**
     * @param serial         one request at a time, as a server with a single worker thread would
     * @param expectedInputs per model, the inputs requests must carry (name, datatype, shape); models not in the
     *                       map are only checked for well-formedness
     */
    FakeOipServer(Rule rule, boolean serial, Map<String, List<InputSpec>> expectedInputs) throws IOException {
        this.rule = rule;
        this.expectedInputs = expectedInputs;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        executor = serial ? Executors.newSingleThreadExecutor() : Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    long received(String model) {
        AtomicLong n = received.get(model);
        return n == null ? 0 : n.get();
    }

    String deadlineHeader(String model) {
        return deadlineHeaders.get(model);
    }

    byte[] lastBody(String model) {
        return lastBodies.get(model);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = ex.getRequestURI().getPath();
            if (ex.getRequestMethod().equals("GET") && path.startsWith("/v2/health")) {
                respond(ex, 200, "{}");
                return;
            }
            Matcher m = INFER.matcher(path);
            if (!m.matches() || !ex.getRequestMethod().equals("POST")) {
                violations.add("unexpected " + ex.getRequestMethod() + " " + path);
                respond(ex, 404, "{\"error\":\"no such endpoint\"}");
                return;
            }
            String model = m.group(1);
            long index = received.computeIfAbsent(model, k -> new AtomicLong()).getAndIncrement();
            String deadline = ex.getRequestHeaders().getFirst("Stratus-Deadline-Ms");
            if (deadline != null) {
                deadlineHeaders.put(model, deadline);
            }
            lastBodies.put(model, body);
            String problem = validate(model, ex, body);
            if (problem != null) {
                violations.add(model + ": " + problem);
                respond(ex, 400, "{\"error\":\"" + problem.replace("\"", "'") + "\"}");
                return;
            }
            Reply reply = rule.reply(model, index);
            if (reply.delayMs() > 0) {
                try {
                    Thread.sleep(reply.delayMs());
                } catch (InterruptedException e) {
                    return; // server stopping
                }
            }
            if (reply.drop()) {
                return; // closing the exchange without a response ends the connection: a transport error
            }
            respond(ex, reply.status(), reply.status() / 100 == 2
                    ? "{\"model_name\":\"" + model + "\",\"outputs\":[]}"
                    : "{\"error\":\"rule says " + reply.status() + "\"}");
        }
    }

    /** @return null when the request is a well-formed OIP binary request with the expected inputs */
    private String validate(String model, HttpExchange ex, byte[] body) {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (!"application/octet-stream".equals(type)) {
            return "Content-Type " + type;
        }
        String lengthHeader = ex.getRequestHeaders().getFirst("Inference-Header-Content-Length");
        if (lengthHeader == null) {
            return "missing Inference-Header-Content-Length";
        }
        int headerLength;
        try {
            headerLength = Integer.parseInt(lengthHeader);
        } catch (NumberFormatException e) {
            return "bad Inference-Header-Content-Length " + lengthHeader;
        }
        if (headerLength <= 0 || headerLength > body.length) {
            return "Inference-Header-Content-Length " + headerLength + " outside the body of " + body.length;
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(body, 0, headerLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "JSON header does not parse: " + e.getMessage();
        }
        if (!header.path("parameters").path("binary_data_output").asBoolean(false)) {
            return "binary_data_output not requested";
        }
        JsonNode inputs = header.path("inputs");
        if (!inputs.isArray() || inputs.isEmpty()) {
            return "no inputs";
        }
        long dataBytes = 0;
        List<InputSpec> expected = expectedInputs.get(model);
        if (expected != null && expected.size() != inputs.size()) {
            return "expected " + expected.size() + " inputs, got " + inputs.size();
        }
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode in = inputs.get(i);
            Datatype dt;
            try {
                dt = Datatype.valueOf(in.path("datatype").asText());
            } catch (IllegalArgumentException e) {
                return "input " + i + " datatype " + in.path("datatype");
            }
            long elements = 1;
            List<Long> shape = new ArrayList<>();
            for (JsonNode d : in.path("shape")) {
                elements *= d.asLong();
                shape.add(d.asLong());
            }
            long size = in.path("parameters").path("binary_data_size").asLong(-1);
            if (dt == Datatype.BYTES) {
                String bad = bytesElements(body, headerLength + dataBytes, size, elements);
                if (bad != null) {
                    return "input " + i + " " + bad;
                }
            } else if (size != elements * dt.bytes()) {
                return "input " + i + " binary_data_size " + size + " != " + elements * dt.bytes();
            }
            dataBytes += size;
            if (expected != null) {
                InputSpec e = expected.get(i);
                if (!e.name().equals(in.path("name").asText()) || e.datatype() != dt || !e.shape().equals(shape)) {
                    return "input " + i + " is " + in + ", expected " + e;
                }
            }
        }
        if (headerLength + dataBytes != body.length) {
            return "body is " + body.length + " bytes, header + binary_data_size = " + (headerLength + dataBytes);
        }
        return null;
    }

    /** @return null when {@code size} bytes from {@code offset} are exactly {@code elements} length-prefixed elements */
    private static String bytesElements(byte[] body, long offset, long size, long elements) {
        if (size < 0 || offset + size > body.length) {
            return "BYTES binary_data_size " + size + " outside the body";
        }
        ByteBuffer data = ByteBuffer.wrap(body, (int) offset, (int) size).order(ByteOrder.LITTLE_ENDIAN);
        for (long e = 0; e < elements; e++) {
            if (data.remaining() < 4) {
                return "BYTES element " + e + " has no length";
            }
            int length = data.getInt();
            if (length < 0 || length > data.remaining()) {
                return "BYTES element " + e + " length " + length + " past its tensor";
            }
            data.position(data.position() + length);
        }
        return data.hasRemaining() ? "BYTES binary_data_size " + size + " longer than its elements" : null;
    }

    private static void respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
