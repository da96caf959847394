package dev.stratus.core.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named tensor held as raw little-endian bytes, the layout of the protocol's binary extension and of
 * ONNX Runtime's buffers, so that tensors move between wire, batcher and engine without per-element work.
 */
public final class Tensor {
    private final String name;
    private final DataType datatype;
    private final long[] shape;
    private final ByteBuffer data;

    public Tensor(String name, DataType datatype, long[] shape, ByteBuffer data) {
        if (!datatype.isFixedSize()) {
            throw new IllegalArgumentException("tensor '" + name + "': datatype " + datatype + " has no fixed size");
        }
        long expected = Math.multiplyExact(Shapes.elementCount(shape), datatype.byteSize());
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Shapes.format(shape) + " and type "
                    + datatype + " needs " + expected + " bytes, got " + data.remaining());
        }
        this.name = name;
        this.datatype = datatype;
        this.shape = shape.clone();
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public String name() {
        return name;
    }

    public DataType datatype() {
        return datatype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    /** A read-only little-endian view of the data, positioned at 0. */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public int byteSize() {
        return data.remaining();
    }

    /** Same datatype, shape and bytes. */
    public boolean sameContent(Tensor other) {
        return datatype == other.datatype && Arrays.equals(shape, other.shape) && data.equals(other.data);
    }

    @Override
    public String toString() {
        return name + ":" + datatype + Shapes.format(shape);
    }
}
