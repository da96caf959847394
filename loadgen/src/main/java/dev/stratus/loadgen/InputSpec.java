package dev.stratus.loadgen;

import java.util.List;

/**
 * One input tensor of a model's requests: filled with random values, with {@code value} everywhere when set, or
 * with a file's bytes when {@code file} is set (an image as one {@code BYTES} element, or a raw tensor).
 */
public record InputSpec(String name, Datatype datatype, List<Long> shape, Double value, InputFile file) {
    public InputSpec {
        shape = List.copyOf(shape);
    }

    public InputSpec(String name, Datatype datatype, List<Long> shape, Double value) {
        this(name, datatype, shape, value, null);
    }

    /** Number of elements; 1 for a scalar (empty shape). */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes of this tensor in the binary extension: a BYTES element is its 4-byte length and its bytes. */
    public long byteSize() {
        if (file != null) {
            return datatype == Datatype.BYTES ? 4L + file.size() : file.size();
        }
        return elements() * datatype.bytes();
    }
}
