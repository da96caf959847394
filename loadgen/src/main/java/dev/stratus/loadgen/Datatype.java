package dev.stratus.loadgen;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The KServe v2 tensor datatypes the generator can fill, with their little-endian element encodings. {@code BYTES}
 * (variable-length elements) only comes from a file: one element, the file's content.
 */
public enum Datatype {
    BOOL(1), UINT8(1), INT8(1), INT16(2), INT32(4), INT64(8), FP16(2), FP32(4), FP64(8), BYTES(0);

    private final int bytes;

    Datatype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element; 0 for {@code BYTES}, whose elements have their own length. */
    public int bytes() {
        return bytes;
    }

    /** A random element: floats uniform in [0, 1) (valid input for the sample models), integers in [0, 100). */
    void putRandom(ByteBuffer out, SplittableRandom rng) {
        switch (this) {
            case BOOL -> out.put((byte) (rng.nextBoolean() ? 1 : 0));
            case FP16 -> out.putShort(Float.floatToFloat16(rng.nextFloat()));
            case FP32 -> out.putFloat(rng.nextFloat());
            case FP64 -> out.putDouble(rng.nextDouble());
            default -> putConstant(out, rng.nextInt(100));
        }
    }

    void putConstant(ByteBuffer out, double value) {
        switch (this) {
            case BOOL -> out.put((byte) (value != 0 ? 1 : 0));
            case UINT8, INT8 -> out.put((byte) (long) value);
            case INT16 -> out.putShort((short) (long) value);
            case INT32 -> out.putInt((int) (long) value);
            case INT64 -> out.putLong((long) value);
            case FP16 -> out.putShort(Float.floatToFloat16((float) value));
            case FP32 -> out.putFloat((float) value);
            case FP64 -> out.putDouble(value);
            case BYTES -> throw new IllegalStateException("BYTES inputs come from a file");
        }
    }
}
