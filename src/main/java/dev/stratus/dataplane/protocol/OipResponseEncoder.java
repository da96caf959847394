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

/** Encodes inference responses and error bodies in the Open Inference Protocol, JSON or binary extension. */
public final class OipResponseEncoder {
    private static final JsonFactory JSON = new JsonFactory();

    public EncodedBody encode(InferenceResponse response) {
        List<ByteBuffer> binary = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("model_name", response.modelName());
            g.writeStringField("model_version", response.modelVersion());
            if (response.id().isPresent()) {
                g.writeStringField("id", response.id().get());
            }
            g.writeArrayFieldStart("outputs");
            for (InferenceResponse.Output output : response.outputs()) {
                writeTensor(g, output.tensor(), output.binary(), binary);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] json = out.toByteArray();
        return new EncodedBody(json, binary, binary.isEmpty() ? OptionalInt.empty() : OptionalInt.of(json.length));
    }

    private static void writeData(JsonGenerator g, Tensor t) throws IOException {
        if (t.datatype() == dev.stratus.core.model.DataType.BYTES) {
            // JSON carries BYTES elements as strings (the protocol's rule); the pipelines' text is UTF-8.
            for (byte[] e : t.bytesElements()) {
                g.writeString(new String(e, java.nio.charset.StandardCharsets.UTF_8));
            }
            return;
        }
        ByteBuffer b = t.data();
        long n = t.elementCount();
        for (long i = 0; i < n; i++) {
            switch (t.datatype()) {
                case FP32 -> g.writeNumber(b.getFloat());
                case FP64 -> g.writeNumber(b.getDouble());
                case INT64 -> g.writeNumber(b.getLong());
                case UINT64 -> g.writeNumber(Long.toUnsignedString(b.getLong()));
                case INT32 -> g.writeNumber(b.getInt());
                case UINT32 -> g.writeNumber(Integer.toUnsignedLong(b.getInt()));
                case INT16 -> g.writeNumber(b.getShort());
                case UINT16 -> g.writeNumber(Short.toUnsignedInt(b.getShort()));
                case INT8 -> g.writeNumber(b.get());
                case UINT8 -> g.writeNumber(Byte.toUnsignedInt(b.get()));
                case BOOL -> g.writeBoolean(b.get() != 0);
                case FP16 -> g.writeNumber(Float.float16ToFloat(b.getShort()));
                case BF16 -> g.writeNumber(Float.intBitsToFloat(b.getShort() << 16));
                default -> throw new IllegalStateException("cannot write " + t.datatype() + " as JSON");
            }
        }
    }

    /**
     * A tensor's JSON object as requests and responses both write it: name, datatype, shape, and either its values
     * in {@code data} or (binary extension) its {@code binary_data_size}, its bytes added to {@code binaryParts}.
     */
    static void writeTensor(JsonGenerator g, Tensor t, boolean binary, List<ByteBuffer> binaryParts)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeStringField("datatype", t.datatype().name());
        g.writeArrayFieldStart("shape");
        for (long d : t.shape()) {
            g.writeNumber(d);
        }
        g.writeEndArray();
        if (binary) {
            g.writeObjectFieldStart("parameters");
            g.writeNumberField("binary_data_size", t.byteSize());
            g.writeEndObject();
            binaryParts.add(t.data());
        } else {
            g.writeArrayFieldStart("data");
            writeData(g, t);
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** The protocol's error body. */
    public byte[] error(String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.length());
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
