package dev.stratus.dataplane.worker.batching;

import dev.stratus.core.model.Shapes;
import dev.stratus.core.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Stacks tensors of several requests along a batch axis and splits a batched result back. The axis need not
 * be 0 (Silero VAD's state is [2, N, 128]): the tensor is seen as [outer, n, inner] and each request owns a
 * contiguous slab of n*inner elements inside every one of the outer blocks.
 */
public final class TensorBatching {
    private TensorBatching() {
    }

    /** Concatenates tensors that agree on every dim except {@code axis}, into new direct memory. */
    public static Tensor concat(String name, List<Tensor> parts, int axis) {
        return concat(name, parts, axis, ByteBuffer::allocateDirect);
    }

    /**
     * Concatenates tensors that agree on every dim except {@code axis} into a buffer obtained from
     * {@code memory} (given the byte size), so callers can reuse one buffer across batches.
     */
    public static Tensor concat(String name, List<Tensor> parts, int axis, IntFunction<ByteBuffer> memory) {
        Tensor first = parts.get(0);
        long[] shape = first.shape();
        long total = 0;
        for (Tensor t : parts) {
            total += t.dim(axis);
        }
        long[] outShape = Shapes.withDim(shape, axis, total);
        int elem = first.datatype().byteSize();
        long outer = Shapes.product(shape, 0, axis);
        long inner = Shapes.product(shape, axis + 1, shape.length) * elem;
        ByteBuffer out = memory.apply(Math.toIntExact(Shapes.elementCount(outShape) * elem))
                .order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer[] views = new ByteBuffer[parts.size()];
        for (int i = 0; i < views.length; i++) {
            views[i] = parts.get(i).data();
        }
        for (long o = 0; o < outer; o++) {
            for (int i = 0; i < views.length; i++) {
                int slab = Math.toIntExact(parts.get(i).dim(axis) * inner);
                int start = Math.toIntExact(o * slab);
                out.put(views[i].slice(start, slab));
            }
        }
        out.flip();
        return new Tensor(name, first.datatype(), outShape, out);
    }

    /**
     * Splits {@code batched} along {@code axis} into pieces of the given sizes (which must add up to the
     * tensor's size on that axis). Axis 0 splits are views, other axes copy.
     */
    public static List<Tensor> split(Tensor batched, int axis, int[] sizes) {
        long[] shape = batched.shape();
        long sum = 0;
        for (int s : sizes) {
            sum += s;
        }
        if (axis >= shape.length || shape[axis] != sum) {
            throw new IllegalArgumentException("cannot split " + batched + " along axis " + axis + " into "
                    + sum + " items");
        }
        int elem = batched.datatype().byteSize();
        long outer = Shapes.product(shape, 0, axis);
        long inner = Shapes.product(shape, axis + 1, shape.length) * elem;
        int fullSlab = Math.toIntExact(sum * inner);
        ByteBuffer src = batched.data();
        List<Tensor> pieces = new ArrayList<>(sizes.length);
        long offsetItems = 0;
        for (int size : sizes) {
            long[] pieceShape = Shapes.withDim(shape, axis, size);
            int slab = Math.toIntExact(size * inner);
            ByteBuffer data;
            if (outer == 1) {
                data = src.slice(Math.toIntExact(offsetItems * inner), slab);
            } else {
                data = ByteBuffer.allocate(Math.toIntExact(outer * slab)).order(ByteOrder.LITTLE_ENDIAN);
                for (long o = 0; o < outer; o++) {
                    data.put(src.slice(Math.toIntExact(o * fullSlab + offsetItems * inner), slab));
                }
                data.flip();
            }
            pieces.add(new Tensor(batched.name(), batched.datatype(), pieceShape, data));
            offsetItems += size;
        }
        return pieces;
    }
}
