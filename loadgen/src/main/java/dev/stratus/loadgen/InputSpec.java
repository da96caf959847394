package dev.stratus.loadgen;

import java.util.List;

/** One input tensor of a model's requests: filled with random values, or with {@code value} everywhere when set. */
public record InputSpec(String name, Datatype datatype, List<Long> shape, Double value) {
    public InputSpec {
        shape = List.copyOf(shape);
    }

    /** Number of elements; 1 for a scalar (empty shape). */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long byteSize() {
        return elements() * datatype.bytes();
    }
}
