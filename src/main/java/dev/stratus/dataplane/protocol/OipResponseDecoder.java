package dev.stratus.dataplane.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an inference response with Triton's binary extension (a JSON header, then each binary output's bytes in
 * order) into an {@link InferenceResponse} whose tensors are views of the binary section. The gateway uses it to
 * answer a gRPC client from a worker's HTTP answer; a malformed answer is the worker's fault (502).
 */
public final class OipResponseDecoder {
    private static final JsonFactory JSON = new JsonFactory();

    private OipResponseDecoder() {
    }

    private record OutputHeader(String name, String datatype, long[] shape, long binarySize, JsonNumbers data) {
    }

    public static InferenceResponse decode(byte[] header, int offset, int length, ByteBuffer binary) {
        try (JsonParser p = JSON.createParser(header, offset, length)) {
            check(p.nextToken() == JsonToken.START_OBJECT, "not a JSON object");
            String model = "";
            String version = "";
            Optional<String> id = Optional.empty();
            List<OutputHeader> outputs = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "model_name" -> model = p.getText();
                    case "model_version" -> version = p.getText();
                    case "id" -> id = Optional.of(p.getText());
                    case "outputs" -> {
                        check(value == JsonToken.START_ARRAY, "'outputs' is not a list");
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            outputs.add(readOutput(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            List<InferenceResponse.Output> tensors = new ArrayList<>(outputs.size());
            int position = binary.position();
            for (OutputHeader o : outputs) {
                DataType type = DataType.fromWireName(o.datatype()).filter(DataType::isFixedSize)
                        .orElseThrow(() -> invalid("output '" + o.name() + "' has datatype '" + o.datatype() + "'"));
                ByteBuffer data;
                if (o.data() != null) {
                    data = o.data().pack(o.name(), type);
                } else {
                    check(o.binarySize() >= 0 && position + o.binarySize() <= binary.limit(),
                            "binary output '" + o.name() + "' runs past the body");
                    data = binary.slice(position, (int) o.binarySize());
                    position += (int) o.binarySize();
                }
                tensors.add(new InferenceResponse.Output(new Tensor(o.name(), type, o.shape(), data), true));
            }
            return new InferenceResponse(model, version, id, tensors);
        } catch (IOException | IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static OutputHeader readOutput(JsonParser p) throws IOException {
        String name = null;
        String datatype = null;
        List<Long> shape = new ArrayList<>();
        long binarySize = -1;
        JsonNumbers data = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "name" -> name = p.getText();
                case "datatype" -> datatype = p.getText();
                case "shape" -> {
                    check(value == JsonToken.START_ARRAY, "an output's shape is not a list");
                    while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                        shape.add(p.getLongValue());
                    }
                }
                case "parameters" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String param = p.currentName();
                        p.nextToken();
                        if ("binary_data_size".equals(param)) {
                            binarySize = p.getLongValue();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                case "data" -> {
                    data = new JsonNumbers();
                    int depth = value == JsonToken.START_ARRAY ? 1 : 0;
                    while (depth > 0) {
                        JsonToken t = p.nextToken();
                        switch (t) {
                            case START_ARRAY -> depth++;
                            case END_ARRAY -> depth--;
                            case VALUE_NUMBER_INT -> data.addInteger(p.getLongValue());
                            case VALUE_TRUE, VALUE_FALSE -> data.addBoolean(t == JsonToken.VALUE_TRUE);
                            default -> data.addReal(p.getDoubleValue());
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        check(name != null && datatype != null, "an output has no name or datatype");
        return new OutputHeader(name, datatype, shape.stream().mapToLong(Long::longValue).toArray(), binarySize, data);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw invalid(message);
        }
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(502, "the worker's answer is malformed: " + message);
    }
}
