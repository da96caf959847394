package dev.stratus.dataplane.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Shapes;
import dev.stratus.core.model.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Reads an Open Inference Protocol inference response (the gateway reading a worker's answer to a pipeline
 * stage): the JSON header's outputs, with their data in the binary section after it (binary extension) or as JSON
 * numbers or strings. A response that does not parse raises {@link ProtocolException} with status 502: the
 * replica, not the client, sent it.
 */
public final class OipResponseDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OipResponseDecoder() {
    }

    /**
     * @param body         the whole response body
     * @param headerLength the {@code Inference-Header-Content-Length} header's value, absent for plain JSON
     * @return the outputs by name, in the order the response lists them
     */
    public static Map<String, Tensor> outputs(byte[] body, OptionalInt headerLength) {
        int jsonLength = headerLength.orElse(body.length);
        if (jsonLength < 0 || jsonLength > body.length) {
            throw bad("header length " + jsonLength + " is outside the body of " + body.length + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body, 0, jsonLength);
        } catch (IOException e) {
            throw bad("malformed JSON header: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode outputs = root == null ? null : root.get("outputs");
        if (outputs == null || !outputs.isArray()) {
            throw bad("no 'outputs' list");
        }
        ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (JsonNode o : outputs) {
            String name = o.path("name").asText(null);
            DataType type = DataType.fromWireName(o.path("datatype").asText(null))
                    .orElseThrow(() -> bad("output '" + name + "' has no known datatype"));
            long[] shape = shape(o.path("shape"), name);
            long size = o.path("parameters").path("binary_data_size").asLong(-1);
            try {
                if (size >= 0) {
                    if (size > binary.remaining()) {
                        throw bad("output '" + name + "' declares " + size + " bytes but " + binary.remaining()
                                + " remain");
                    }
                    ByteBuffer data = binary.slice(binary.position(), (int) size);
                    binary.position(binary.position() + (int) size);
                    out.put(name, new Tensor(name, type, shape, data));
                } else {
                    out.put(name, fromJson(name, type, shape, o.path("data")));
                }
            } catch (IllegalArgumentException e) {
                throw bad("output '" + name + "': " + e.getMessage());
            }
        }
        return out;
    }

    /** The {@code error} of an error body, or the body's start when it has none. */
    public static String error(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.hasNonNull("error")) {
                return root.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: the text itself says what happened
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return text.isBlank() ? "(empty body)" : text;
    }

    private static Tensor fromJson(String name, DataType type, long[] shape, JsonNode data) {
        if (!data.isArray()) {
            throw bad("output '" + name + "' has neither binary_data_size nor a 'data' list");
        }
        List<JsonNode> flat = new ArrayList<>();
        flatten(data, flat);
        if (flat.size() != Shapes.elementCount(shape)) {
            throw bad("output '" + name + "': shape " + Shapes.format(shape) + " but " + flat.size() + " elements");
        }
        if (type == DataType.BYTES) {
            return Tensor.bytes(name, shape, flat.stream().map(n -> n.asText().getBytes(StandardCharsets.UTF_8))
                    .toList());
        }
        JsonNumbers numbers = new JsonNumbers();
        for (JsonNode n : flat) {
            if (n.isBoolean()) {
                numbers.addBoolean(n.asBoolean());
            } else if (n.isIntegralNumber()) {
                numbers.addInteger(n.asLong());
            } else if (n.isNumber()) {
                numbers.addReal(n.asDouble());
            } else {
                throw bad("output '" + name + "': element " + n + " is not a number");
            }
        }
        return new Tensor(name, type, shape, numbers.pack(name, type));
    }

    private static void flatten(JsonNode n, List<JsonNode> into) {
        if (n.isArray()) {
            n.forEach(c -> flatten(c, into));
        } else {
            into.add(n);
        }
    }

    private static long[] shape(JsonNode n, String name) {
        if (!n.isArray()) {
            throw bad("output '" + name + "' has no shape");
        }
        long[] shape = new long[n.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!n.get(i).canConvertToLong() || n.get(i).asLong() < 0) {
                throw bad("output '" + name + "' has a bad shape " + n);
            }
            shape[i] = n.get(i).asLong();
        }
        return shape;
    }

    private static ProtocolException bad(String message) {
        return new ProtocolException(502, "unreadable answer from the replica: " + message);
    }
}
