package dev.stratus.dataplane.worker.runtime;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Shapes;
import dev.stratus.core.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Inputs of the catalog's sample shapes at a given batch size, for warm-up, tests and benchmarks. */
public final class SampleInputs {
    private SampleInputs() {
    }

    /** Random inputs (fixed seed), except those with catalog sample values (such as a sample rate). */
    public static Map<String, Tensor> of(ModelSpec spec, int batchSize, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (InputSpec in : spec.inputs()) {
            long[] shape = in.batched() ? Shapes.withDim(in.sampleShape(), in.batchAxis(), batchSize)
                    : in.sampleShape();
            int n = Math.toIntExact(Shapes.elementCount(shape));
            ByteBuffer data = ByteBuffer.allocate(n * in.datatype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                double v = in.sampleValues().isEmpty() ? random.nextDouble()
                        : in.sampleValues().get(i % in.sampleValues().size());
                put(data, in.datatype(), v);
            }
            inputs.put(in.name(), new Tensor(in.name(), in.datatype(), shape, data.flip()));
        }
        return inputs;
    }

    private static void put(ByteBuffer b, DataType type, double v) {
        switch (type) {
            case FP32 -> b.putFloat((float) v);
            case FP64 -> b.putDouble(v);
            case INT64, UINT64 -> b.putLong((long) v);
            case INT32, UINT32 -> b.putInt((int) v);
            case INT16, UINT16, FP16, BF16 -> b.putShort((short) v);
            default -> b.put((byte) v);
        }
    }
}
