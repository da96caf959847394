package dev.stratus.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Model files for tests, made here rather than committed: copies of the sample models, the same graph with
 * another {@code model_version} (a distinct file with the same behaviour), cut-off files, and tiny graphs
 * written as ONNX protobuf (one Identity node) for datatypes no sample model has.
 */
public final class OnnxFiles {
    /** ONNX TensorProto element types used here. */
    public static final int FLOAT = 1;
    public static final int STRING = 8;

    private OnnxFiles() {
    }

    /** A copy of {@code source} at {@code target} (folders created). */
    public static Path copy(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A copy whose ModelProto {@code model_version} (field 5) is {@code version}: protobuf takes the last value
     * of a repeated scalar field, so appending it changes the file's checksum and nothing else.
     */
    public static Path withModelVersion(Path source, Path target, long version) throws IOException {
        copy(source, target);
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        tag(field, 5, 0);
        varint(field, version);
        Files.write(target, field.toByteArray(), StandardOpenOption.APPEND);
        return target;
    }

    /** The first {@code bytes} of {@code source}: a download cut off. */
    public static Path truncated(Path source, Path target, int bytes) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.write(target, Arrays.copyOf(Files.readAllBytes(source), bytes));
    }

    /**
     * A model with one input {@code x} and one output {@code y = Identity(x)} of the given element type and
     * shape (-1 = a dynamic dim).
     */
    public static Path identity(Path target, int elementType, long... shape) throws IOException {
        byte[] node = message(bytes(1, "x"), bytes(2, "y"), bytes(4, "Identity"));
        byte[] graph = message(field(1, node), bytes(2, "identity"), field(11, valueInfo("x", elementType, shape)),
                field(12, valueInfo("y", elementType, shape)));
        byte[] opset = message(varintField(2, 13));
        byte[] model = message(varintField(1, 8), bytes(2, "stratus-tests"), field(7, graph), field(8, opset));
        Files.createDirectories(target.getParent());
        return Files.write(target, model);
    }

    private static byte[] valueInfo(String name, int elementType, long... shape) {
        byte[][] dims = new byte[shape.length][];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = field(1, shape[i] < 0 ? message(bytes(2, "d" + i)) : message(varintField(1, shape[i])));
        }
        byte[] tensorType = message(varintField(1, elementType), field(2, message(dims)));
        return message(bytes(1, name), field(2, message(field(1, tensorType))));
    }

    private static byte[] message(byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : fields) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static byte[] field(int number, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tag(out, number, 2);
        varint(out, payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] bytes(int number, String text) {
        return field(number, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] varintField(int number, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tag(out, number, 0);
        varint(out, value);
        return out.toByteArray();
    }

    private static void tag(ByteArrayOutputStream out, int number, int wireType) {
        varint(out, ((long) number << 3) | wireType);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
