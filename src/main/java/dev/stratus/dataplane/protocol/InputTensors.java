package dev.stratus.dataplane.protocol;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Shapes;
import dev.stratus.core.model.Tensor;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The rules every request input follows, whatever carried it (JSON, Triton's binary extension, gRPC typed contents
 * or raw_input_contents): a known fixed-size datatype, a sane shape, and data that fills the shape exactly. One
 * place, so that the HTTP and gRPC paths refuse the same inputs with the same messages.
 */
public final class InputTensors {
    /** ONNX models have far fewer dims; more is a malformed request, not a model. */
    static final int MAX_RANK = 16;

    private InputTensors() {
    }

    /** The datatype named {@code wireName}; 400 when unknown. */
    public static DataType datatype(String input, String wireName) {
        return DataType.fromWireName(wireName).orElseThrow(() -> ProtocolException.badRequest(
                "input '" + input + "': unknown datatype '" + wireName + "'"));
    }

    /** BYTES over gRPC: not served there (REST takes them, for pipelines' string and image inputs). */
    static ProtocolException unsupportedBytes(String input) {
        return ProtocolException.badRequest("input '" + input + "': datatype BYTES is not supported over gRPC; the "
                + "models served here take numeric tensors (FP32, INT64, ...), and pipelines' BYTES inputs go over REST");
    }

    /** Checks one dimension as it is read; {@code where} names the input for the message. */
    static void checkDim(long dim, int index, String where, Object shown) {
        if (dim < 0) {
            throw ProtocolException.badRequest(where + ".shape must contain non-negative integers, got '" + shown
                    + "'");
        }
        if (index >= MAX_RANK) {
            throw ProtocolException.badRequest(where + ".shape has more than " + MAX_RANK + " dimensions");
        }
    }

    /** Elements of {@code shape}; 400 when the count overflows. */
    static long elements(String input, long[] shape) {
        try {
            return Shapes.elementCount(shape);
        } catch (ArithmeticException e) {
            throw ProtocolException.badRequest("input '" + input + "': shape " + Shapes.format(shape) + " is too large");
        }
    }

    /** A tensor over raw little-endian bytes (binary extension, raw_input_contents), without copying them. */
    public static Tensor raw(String input, DataType type, long[] shape, ByteBuffer bytes, String sizeName) {
        long elements = elements(input, shape);
        long expected;
        try {
            expected = Math.multiplyExact(elements, type.byteSize());
        } catch (ArithmeticException e) {
            throw ProtocolException.badRequest("input '" + input + "': shape " + Shapes.format(shape) + " is too large");
        }
        if (bytes.remaining() != expected) {
            throw ProtocolException.badRequest("input '" + input + "': shape " + Shapes.format(shape) + " of " + type
                    + " needs " + expected + " bytes but " + sizeName + " is " + bytes.remaining());
        }
        return new Tensor(input, type, shape, bytes);
    }

    /** A tensor packed from typed values (JSON data, gRPC contents), which must fill the shape. */
    static Tensor values(String input, DataType type, long[] shape, JsonNumbers values, String what) {
        checkCount(input, shape, values.size(), what);
        return new Tensor(input, type, shape, values.pack(input, type));
    }

    /** 400 unless {@code count} values (of {@code what}) fill {@code shape} exactly. */
    static void checkCount(String input, long[] shape, long count, String what) {
        long elements = elements(input, shape);
        if (count != elements) {
            throw ProtocolException.badRequest("input '" + input + "': shape " + Shapes.format(shape) + " needs "
                    + elements + " elements but '" + what + "' has " + count);
        }
    }

    /** 400 when an input name repeats. */
    public static void checkUnique(Collection<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw ProtocolException.badRequest("input '" + name + "' is given more than once");
            }
        }
    }
}
