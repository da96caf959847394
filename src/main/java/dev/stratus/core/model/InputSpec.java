package dev.stratus.core.model;


import java.util.List;

/**
 * One model input as the catalog describes it.
 *
 * @param sampleShape  the concrete shape of one item (batch dim = 1) used for warm-up and profiling
 * @param batchAxis    the axis requests are stacked along, or {@link #SHARED} for an input every request in a
 *                     batch must agree on (such as an audio sample rate)
 * @param sampleValues values to warm up with, for inputs where random data is invalid (a sample rate); empty
 *                     means random data
 */
public record InputSpec(String name, DataType datatype, long[] sampleShape, int batchAxis, List<Double> sampleValues) {
    public static final int SHARED = -1;

    public InputSpec {
        sampleShape = sampleShape.clone();
        sampleValues = List.copyOf(sampleValues);
        if (batchAxis < SHARED || batchAxis >= Math.max(sampleShape.length, 1)) {
            throw new IllegalArgumentException("input '" + name + "': batch axis " + batchAxis
                    + " outside shape " + Shapes.format(sampleShape));
        }
        if (batchAxis != SHARED && sampleShape[batchAxis] != 1) {
            throw new IllegalArgumentException("input '" + name + "': sample shape " + Shapes.format(sampleShape)
                    + " must have size 1 on its batch axis " + batchAxis);
        }
    }

    public boolean batched() {
        return batchAxis != SHARED;
    }

    @Override
    public long[] sampleShape() {
        return sampleShape.clone();
    }
}
