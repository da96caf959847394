package dev.stratus.dataplane.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decodes Open Inference Protocol (KServe v2) inference requests: JSON tensors, and Triton's binary tensor
 * data extension, where the JSON header is followed by the raw little-endian bytes of the inputs that declare
 * {@code binary_data_size}, in input order. Streams the JSON (no tree), so large JSON tensors are parsed once.
 * Every malformed request raises a {@link ProtocolException} (400) naming what is wrong.
 */
public final class OipRequestDecoder {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

    /**
     * A tensor description from the JSON header whose data may still be in the binary section; a BYTES input's
     * JSON data are strings ({@code jsonStrings}), any other's numbers ({@code jsonData}).
     */
    private record InputHeader(String name, DataType datatype, long[] shape, JsonNumbers jsonData,
            List<byte[]> jsonStrings, long binarySize) {
    }

    /**
     * @param header the JSON part of the body
     * @param binary the bytes after the JSON header (empty for plain JSON requests)
     */
    public InferenceRequest decode(byte[] header, int offset, int length, ByteBuffer binary) {
        try (JsonParser p = JSON.createParser(header, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ProtocolException.badRequest("request body must be a JSON object");
            }
            Optional<String> id = Optional.empty();
            OptionalLong timeout = OptionalLong.empty();
            boolean binaryOutputs = false;
            List<InputHeader> inputs = null;
            List<RequestedOutput> outputs = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = Optional.of(expectString(p, value, "id"));
                    case "inputs" -> inputs = readInputs(p, value);
                    case "outputs" -> outputs = readOutputs(p, value);
                    case "parameters" -> {
                        expect(value == JsonToken.START_OBJECT, "'parameters' must be an object");
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            JsonToken v = p.nextToken();
                            switch (name) {
                                case "timeout" -> {
                                    expect(v == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0,
                                            "parameter 'timeout' must be a non-negative integer (microseconds)");
                                    timeout = OptionalLong.of(p.getLongValue());
                                }
                                case "binary_data_output" -> binaryOutputs = expectBoolean(v, "binary_data_output");
                                default -> throw unsupported(name, "request", "timeout, binary_data_output");
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw ProtocolException.badRequest("unexpected content after the JSON request object");
            }
            if (inputs == null || inputs.isEmpty()) {
                throw ProtocolException.badRequest("request has no 'inputs'");
            }
            return new InferenceRequest(id, materialise(inputs, binary), outputs, timeout, binaryOutputs);
        } catch (IOException e) {
            throw ProtocolException.badRequest("malformed JSON: " + firstLine(e.getMessage()));
        }
    }

    private List<InputHeader> readInputs(JsonParser p, JsonToken value) throws IOException {
        expect(value == JsonToken.START_ARRAY, "'inputs' must be a list");
        List<InputHeader> inputs = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p.currentToken() == JsonToken.START_OBJECT, "each entry of 'inputs' must be an object");
            inputs.add(readInput(p, inputs.size()));
        }
        InputTensors.checkUnique(inputs.stream().map(InputHeader::name).toList());
        return inputs;
    }

    private InputHeader readInput(JsonParser p, int index) throws IOException {
        String name = null;
        String datatype = null;
        long[] shape = null;
        JsonNumbers data = null;
        List<byte[]> strings = null;
        long binarySize = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            String where = "inputs[" + index + "]" + (name == null ? "" : " ('" + name + "')");
            switch (field) {
                case "name" -> name = expectString(p, value, where + ".name");
                case "datatype" -> datatype = expectString(p, value, where + ".datatype");
                case "shape" -> shape = readShape(p, value, where);
                case "data" -> {
                    if ("BYTES".equalsIgnoreCase(datatype)) {
                        strings = readStrings(p, value, where);
                    } else {
                        data = readData(p, value, where + (datatype == null
                                ? " (a BYTES input gives 'datatype' before 'data')" : ""));
                    }
                }
                case "parameters" -> {
                    expect(value == JsonToken.START_OBJECT, where + ".parameters must be an object");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String param = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("binary_data_size".equals(param)) {
                            expect(v == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0,
                                    where + ": binary_data_size must be a non-negative integer");
                            binarySize = p.getLongValue();
                        } else {
                            throw unsupported(param, where, "binary_data_size");
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        String where = "inputs[" + index + "]";
        expect(name != null, where + " has no 'name'");
        expect(datatype != null, "input '" + name + "' has no 'datatype'");
        expect(shape != null, "input '" + name + "' has no 'shape'");
        DataType type = InputTensors.datatype(name, datatype);
        if (type == DataType.BYTES && data != null) {
            throw ProtocolException.badRequest("input '" + name + "': BYTES data must be strings, given after "
                    + "'datatype'");
        }
        boolean json = data != null || strings != null;
        if (json && binarySize >= 0) {
            throw ProtocolException.badRequest("input '" + name + "' has both 'data' and binary_data_size");
        }
        if (!json && binarySize < 0) {
            throw ProtocolException.badRequest("input '" + name + "' has no 'data' and no binary_data_size");
        }
        return new InputHeader(name, type, shape, data, strings, binarySize);
    }

    /** A BYTES input's JSON data: strings (nested lists allowed), each element its UTF-8 bytes. */
    private static List<byte[]> readStrings(JsonParser p, JsonToken value, String where) throws IOException {
        List<byte[]> out = new ArrayList<>();
        forEachElement(p, value, t -> {
            expect(t == JsonToken.VALUE_STRING, where + ".data: BYTES element " + out.size()
                    + " is not a string (got " + describe(p, t) + ")");
            out.add(p.getText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        return out;
    }

    /** One element of a tensor's JSON data, at the parser's current token. */
    @FunctionalInterface
    private interface ElementReader {
        void read(JsonToken token) throws IOException;
    }

    /** Every scalar of a JSON data value (a scalar, or nested lists of them flattened in order). */
    private static void forEachElement(JsonParser p, JsonToken value, ElementReader each) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            each.read(value);
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_ARRAY) {
                depth--;
            } else {
                each.read(t);
            }
        }
    }

    /**
     * A parameter this server does not implement (Triton's classification, sequence, priority or shared-memory
     * parameters, or any other) is refused by name rather than ignored: ignoring it would answer something other
     * than what the client asked for.
     */
    static ProtocolException unsupported(String parameter, String where, String supported) {
        return ProtocolException.badRequest(where + ": parameter '" + abbreviate(parameter) + "' is not supported "
                + "by this server (supported here: " + supported + ")");
    }

    private static long[] readShape(JsonParser p, JsonToken value, String where) throws IOException {
        expect(value == JsonToken.START_ARRAY, where + ".shape must be a list of integers");
        List<Long> dims = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p.currentToken() == JsonToken.VALUE_NUMBER_INT, where + ".shape must contain non-negative "
                    + "integers, got '" + p.getText() + "'");
            InputTensors.checkDim(p.getLongValue(), dims.size(), where, p.getText());
            dims.add(p.getLongValue());
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static JsonNumbers readData(JsonParser p, JsonToken value, String where) throws IOException {
        JsonNumbers numbers = new JsonNumbers();
        forEachElement(p, value, t -> addScalar(p, t, numbers, where));
        return numbers;
    }

    private static void addScalar(JsonParser p, JsonToken t, JsonNumbers numbers, String where) throws IOException {
        switch (t) {
            case VALUE_NUMBER_INT -> numbers.addInteger(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> numbers.addReal(p.getDoubleValue());
            case VALUE_TRUE -> numbers.addBoolean(true);
            case VALUE_FALSE -> numbers.addBoolean(false);
            default -> throw ProtocolException.badRequest(where + ".data: element " + numbers.size()
                    + " is not a number (got " + describe(p, t) + ")");
        }
    }

    private static String describe(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> "\"" + abbreviate(p.getText()) + "\"";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private List<RequestedOutput> readOutputs(JsonParser p, JsonToken value) throws IOException {
        expect(value == JsonToken.START_ARRAY, "'outputs' must be a list");
        List<RequestedOutput> outputs = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p.currentToken() == JsonToken.START_OBJECT, "each entry of 'outputs' must be an object");
            String name = null;
            Optional<Boolean> binary = Optional.empty();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if ("name".equals(field)) {
                    name = expectString(p, v, "outputs[" + outputs.size() + "].name");
                } else if ("parameters".equals(field)) {
                    expect(v == JsonToken.START_OBJECT, "outputs[" + outputs.size() + "].parameters must be an object");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String param = p.currentName();
                        JsonToken pv = p.nextToken();
                        if ("binary_data".equals(param)) {
                            binary = Optional.of(expectBoolean(pv, "binary_data"));
                        } else {
                            throw unsupported(param, "outputs[" + outputs.size() + "]" + (name == null ? ""
                                    : " ('" + name + "')"), "binary_data");
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            expect(name != null, "outputs[" + outputs.size() + "] has no 'name'");
            outputs.add(new RequestedOutput(name, binary));
        }
        return outputs;
    }

    private static List<Tensor> materialise(List<InputHeader> headers, ByteBuffer binary) {
        long declared = headers.stream().mapToLong(h -> Math.max(h.binarySize(), 0)).sum();
        if (declared != binary.remaining()) {
            throw ProtocolException.badRequest("binary_data_size of the inputs add up to " + declared
                    + " bytes but the body carries " + binary.remaining() + " bytes after the JSON header");
        }
        List<Tensor> tensors = new ArrayList<>(headers.size());
        int offset = binary.position();
        for (InputHeader h : headers) {
            if (h.jsonStrings() != null) {
                InputTensors.checkCount(h.name(), h.shape(), h.jsonStrings().size(), "data");
                tensors.add(Tensor.bytes(h.name(), h.shape(), h.jsonStrings()));
            } else if (h.datatype() == DataType.BYTES) {
                ByteBuffer data = binary.slice(offset, (int) h.binarySize());
                offset += (int) h.binarySize();
                try {
                    tensors.add(new Tensor(h.name(), h.datatype(), h.shape(), data));
                } catch (IllegalArgumentException e) {
                    throw ProtocolException.badRequest("input '" + h.name() + "': " + e.getMessage()
                            .replaceFirst("^tensor '[^']*':? ?", "") + " (binary BYTES: each element a 4-byte "
                            + "little-endian length, then its bytes)");
                }
            } else if (h.jsonData() != null) {
                tensors.add(InputTensors.values(h.name(), h.datatype(), h.shape(), h.jsonData(), "data"));
            } else {
                tensors.add(InputTensors.raw(h.name(), h.datatype(), h.shape(),
                        binary.slice(offset, (int) h.binarySize()), "binary_data_size"));
                offset += (int) h.binarySize();
            }
        }
        return tensors;
    }

    private static String expectString(JsonParser p, JsonToken value, String what) throws IOException {
        expect(value == JsonToken.VALUE_STRING, "'" + what + "' must be a string");
        return p.getText();
    }

    private static boolean expectBoolean(JsonToken value, String what) {
        expect(value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE, "'" + what + "' must be a boolean");
        return value == JsonToken.VALUE_TRUE;
    }

    private static void expect(boolean condition, String message) {
        if (!condition) {
            throw ProtocolException.badRequest(message);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable body";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
