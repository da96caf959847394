package dev.stratus.core.model;

/** A tensor as the runtime declares it: dims of -1 accept any size. */
public record TensorSignature(String name, DataType datatype, long[] shape) {
    public TensorSignature {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }
}
