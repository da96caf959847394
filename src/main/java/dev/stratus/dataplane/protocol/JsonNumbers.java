package dev.stratus.dataplane.protocol;

import dev.stratus.core.model.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The flattened elements of a JSON {@code data} array, kept exactly (integers as long, others as double)
 * until the tensor's datatype is known, then packed into little-endian bytes of that type.
 */
final class JsonNumbers {
    private long[] ints = new long[256];
    private double[] reals = new double[256];
    private int size;
    private int firstNonInteger = -1;
    private int firstNonBoolean = -1;

    void addInteger(long v) {
        grow();
        ints[size] = v;
        reals[size] = v;
        if (firstNonBoolean < 0 && v != 0 && v != 1) {
            firstNonBoolean = size;
        }
        size++;
    }

    void addReal(double v) {
        grow();
        reals[size] = v;
        if (firstNonInteger < 0) {
            firstNonInteger = size;
        }
        if (firstNonBoolean < 0) {
            firstNonBoolean = size;
        }
        size++;
    }

    void addBoolean(boolean v) {
        grow();
        ints[size] = v ? 1 : 0;
        reals[size] = ints[size];
        size++;
    }

    int size() {
        return size;
    }

    private void grow() {
        if (size == ints.length) {
            ints = Arrays.copyOf(ints, size * 2);
            reals = Arrays.copyOf(reals, size * 2);
        }
    }

    /** Packs the values as {@code type}; the caller has checked the element count against the shape. */
    ByteBuffer pack(String input, DataType type) {
        if (!type.isFloatingPoint() && type != DataType.BOOL && firstNonInteger >= 0) {
            throw ProtocolException.badRequest("input '" + input + "': element " + firstNonInteger + " ("
                    + reals[firstNonInteger] + ") is not an integer but the datatype is " + type);
        }
        if (type == DataType.BOOL && firstNonBoolean >= 0) {
            throw ProtocolException.badRequest("input '" + input + "': element " + firstNonBoolean
                    + " is not a boolean but the datatype is BOOL");
        }
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(size, type.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            switch (type) {
                case FP32 -> out.putFloat((float) reals[i]);
                case FP64 -> out.putDouble(reals[i]);
                case INT64, UINT64 -> out.putLong(ints[i]);
                case INT32, UINT32 -> out.putInt((int) checkRange(input, i, ints[i], type));
                case INT16, UINT16 -> out.putShort((short) checkRange(input, i, ints[i], type));
                case INT8, UINT8, BOOL -> out.put((byte) checkRange(input, i, ints[i], type));
                default -> throw ProtocolException.badRequest("input '" + input + "': datatype " + type
                        + " cannot be sent as JSON; use the binary tensor data extension");
            }
        }
        return out.flip();
    }

    private static long checkRange(String input, int index, long v, DataType type) {
        long min;
        long max;
        switch (type) {
            case INT32 -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
            case UINT32 -> { min = 0; max = 0xFFFF_FFFFL; }
            case INT16 -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
            case UINT16 -> { min = 0; max = 0xFFFF; }
            case INT8 -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
            case UINT8 -> { min = 0; max = 0xFF; }
            default -> { min = 0; max = 1; }
        }
        if (v < min || v > max) {
            throw ProtocolException.badRequest("input '" + input + "': element " + index + " (" + v
                    + ") is out of range for " + type);
        }
        return v;
    }
}
