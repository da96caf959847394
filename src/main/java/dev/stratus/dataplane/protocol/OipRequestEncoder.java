package dev.stratus.dataplane.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stratus.core.model.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Writes an {@link InferenceRequest} as an HTTP body: with Triton's binary tensor extension (a JSON header naming
 * each input with its {@code binary_data_size}, the raw input bytes after it as views, nothing copied; every output
 * asked for in binary), or all JSON. What a client sends, and what the gateway sends a worker for a gRPC request.
 */
public final class OipRequestEncoder {
    private static final JsonFactory JSON = new JsonFactory();

    private OipRequestEncoder() {
    }

    public static EncodedBody binary(InferenceRequest request) {
        return encode(request, true);
    }

    /** Inputs as JSON {@code data}, outputs asked for as JSON: the protocol without the binary extension. */
    public static EncodedBody json(InferenceRequest request) {
        return encode(request, false);
    }

    private static EncodedBody encode(InferenceRequest request, boolean binary) {
        List<ByteBuffer> parts = new ArrayList<>(request.inputs().size());
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            if (request.id().isPresent()) {
                g.writeStringField("id", request.id().get());
            }
            g.writeArrayFieldStart("inputs");
            for (Tensor t : request.inputs()) {
                OipResponseEncoder.writeTensor(g, t, binary, parts);
            }
            g.writeEndArray();
            if (!request.outputs().isEmpty()) {
                g.writeArrayFieldStart("outputs");
                for (RequestedOutput o : request.outputs()) {
                    g.writeStartObject();
                    g.writeStringField("name", o.name());
                    g.writeObjectFieldStart("parameters");
                    g.writeBooleanField("binary_data", binary);
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeObjectFieldStart("parameters");
            g.writeBooleanField("binary_data_output", binary);
            if (request.timeoutMicros().isPresent()) {
                g.writeNumberField("timeout", request.timeoutMicros().getAsLong());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] json = out.toByteArray();
        return new EncodedBody(json, parts, binary ? OptionalInt.of(json.length) : OptionalInt.empty());
    }
}
