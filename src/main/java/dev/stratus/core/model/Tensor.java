package dev.stratus.core.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A named tensor held as raw little-endian bytes, the layout of the protocol's binary extension and of
 * ONNX Runtime's buffers, so that tensors move between wire, batcher and engine without per-element work. A
 * {@link DataType#BYTES} tensor holds its elements in the binary extension's layout too: each one as a 4-byte
 * little-endian length followed by its bytes.
 */
public final class Tensor {
    private final String name;
    private final DataType datatype;
    private final long[] shape;
    private final ByteBuffer data;

    public Tensor(String name, DataType datatype, long[] shape, ByteBuffer data) {
        if (datatype == DataType.BYTES) {
            checkBytesLayout(name, shape, data);
        } else if (!datatype.isFixedSize()) {
            throw new IllegalArgumentException("tensor '" + name + "': datatype " + datatype + " has no fixed size");
        }
        long expected = datatype == DataType.BYTES ? data.remaining()
                : Math.multiplyExact(Shapes.elementCount(shape), datatype.byteSize());
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Shapes.format(shape) + " and type "
                    + datatype + " needs " + expected + " bytes, got " + data.remaining());
        }
        this.name = name;
        this.datatype = datatype;
        this.shape = shape.clone();
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A BYTES tensor of the given elements (each copied), in the binary extension's layout. */
    public static Tensor bytes(String name, long[] shape, List<byte[]> elements) {
        int size = 0;
        for (byte[] e : elements) {
            size = Math.addExact(size, Math.addExact(4, e.length));
        }
        ByteBuffer data = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] e : elements) {
            data.putInt(e.length).put(e);
        }
        return new Tensor(name, DataType.BYTES, shape, data.flip());
    }

    /** The elements of a BYTES tensor, each as its own array. */
    public List<byte[]> bytesElements() {
        if (datatype != DataType.BYTES) {
            throw new IllegalStateException("tensor '" + name + "' is " + datatype + ", not BYTES");
        }
        ByteBuffer b = data();
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] e = new byte[b.getInt()];
            b.get(e);
            out.add(e);
        }
        return out;
    }

    /** Every element is a 4-byte length and that many bytes, and there are as many as the shape says. */
    private static void checkBytesLayout(String name, long[] shape, ByteBuffer data) {
        ByteBuffer b = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        long count = 0;
        while (b.hasRemaining()) {
            if (b.remaining() < 4) {
                throw new IllegalArgumentException("tensor '" + name + "': BYTES element " + count
                        + " has a truncated 4-byte length");
            }
            int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                throw new IllegalArgumentException("tensor '" + name + "': BYTES element " + count + " declares "
                        + Integer.toUnsignedString(length) + " bytes but " + b.remaining() + " remain");
            }
            b.position(b.position() + length);
            count++;
        }
        long expected = Shapes.elementCount(shape);
        if (count != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Shapes.format(shape)
                    + " needs " + expected + " BYTES elements, got " + count);
        }
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
