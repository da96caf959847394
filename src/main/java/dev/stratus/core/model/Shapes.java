package dev.stratus.core.model;

import java.util.Arrays;

/** Small pure helpers over tensor shapes (dimension arrays, -1 meaning "any size"). */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements of a concrete shape; a scalar (rank 0) has one. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + format(shape) + " is not concrete");
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Product of dims in [from, to). */
    public static long product(long[] shape, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n = Math.multiplyExact(n, shape[i]);
        }
        return n;
    }

    public static String format(long[] shape) {
        return Arrays.toString(shape);
    }

    /** The shape with dim {@code axis} replaced by {@code size}. */
    public static long[] withDim(long[] shape, int axis, long size) {
        long[] copy = shape.clone();
        copy[axis] = size;
        return copy;
    }
}
