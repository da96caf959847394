package dev.stratus.dataplane.worker.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Shapes;
import dev.stratus.core.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TensorBatchingTest {

    // ---------------------------------------------------------------- helpers

    static Tensor fp32(String name, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return new Tensor(name, DataType.FP32, shape, b.flip());
    }

    static Tensor int64(String name, long[] shape, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return new Tensor(name, DataType.INT64, shape, b.flip());
    }

    static float[] floats(Tensor t) {
        ByteBuffer b = t.data();
        float[] out = new float[(int) t.elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    static long[] longs(Tensor t) {
        ByteBuffer b = t.data();
        long[] out = new long[(int) t.elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getLong();
        }
        return out;
    }

    static byte[] bytes(Tensor t) {
        ByteBuffer b = t.data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** A tensor whose elements are distinct (start, start+1, ...) so any misplacement shows. */
    static Tensor sequential(String name, DataType type, long[] shape, int start) {
        int n = Math.toIntExact(Shapes.elementCount(shape));
        if (type == DataType.INT64) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = start + i;
            }
            return int64(name, shape, v);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i;
        }
        return fp32(name, shape, v);
    }

    static long[] shape(long... dims) {
        return dims;
    }

    // ---------------------------------------------------------------- concat

    @Test
    void concatAxis0StacksRequestsOneAfterTheOther() {
        Tensor a = fp32("a", shape(1, 3), 1, 2, 3);
        Tensor b = fp32("b", shape(2, 3), 4, 5, 6, 7, 8, 9);

        Tensor out = TensorBatching.concat("x", List.of(a, b), 0);

        assertEquals("x", out.name());
        assertEquals(DataType.FP32, out.datatype());
        assertArrayEquals(shape(3, 3), out.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, floats(out));
    }

    @Test
    void concatAxis1InterleavesSlabsInsideEveryOuterBlock() {
        // Silero-VAD-like state [2, N, inner]: request a has N=1, request b has N=2; inner = 2.
        Tensor a = fp32("a", shape(2, 1, 2),
                /* outer 0 */ 10, 11,
                /* outer 1 */ 12, 13);
        Tensor b = fp32("b", shape(2, 2, 2),
                /* outer 0 */ 20, 21, 22, 23,
                /* outer 1 */ 24, 25, 26, 27);

        Tensor out = TensorBatching.concat("state", List.of(a, b), 1);

        assertArrayEquals(shape(2, 3, 2), out.shape());
        assertArrayEquals(new float[] {
            10, 11, 20, 21, 22, 23, // outer 0: a's slab then b's slab
            12, 13, 24, 25, 26, 27, // outer 1
        }, floats(out));
    }

    @Test
    void concatInt64Axis0() {
        Tensor a = int64("a", shape(1, 2), Long.MIN_VALUE, -1);
        Tensor b = int64("b", shape(1, 2), 0, Long.MAX_VALUE);

        Tensor out = TensorBatching.concat("ids", List.of(a, b), 0);

        assertEquals(DataType.INT64, out.datatype());
        assertArrayEquals(shape(2, 2), out.shape());
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, longs(out));
    }

    @Test
    void concatResultIsLittleEndian() {
        Tensor out = TensorBatching.concat("x", List.of(int64("a", shape(1), 1), int64("b", shape(1), 0x0102)), 0);
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0}, bytes(out));
    }

    @Test
    void concatOfASinglePartReturnsTheSameDataRenamed() {
        Tensor only = fp32("request-input", shape(1, 4), 1.5f, -2f, 3.25f, 0f);

        Tensor out = TensorBatching.concat("x", List.of(only), 0);

        assertEquals("x", out.name());
        assertEquals(only.datatype(), out.datatype());
        assertArrayEquals(only.shape(), out.shape());
        assertArrayEquals(bytes(only), bytes(out));
        assertTrue(out.sameContent(only));
    }

    // ---------------------------------------------------------------- split

    @Test
    void splitAxis0GivesEachRequestItsRows() {
        Tensor batched = fp32("y", shape(3, 2), 1, 2, 3, 4, 5, 6);

        List<Tensor> pieces = TensorBatching.split(batched, 0, new int[] {1, 2});

        assertEquals(2, pieces.size());
        assertArrayEquals(shape(1, 2), pieces.get(0).shape());
        assertArrayEquals(new float[] {1, 2}, floats(pieces.get(0)));
        assertArrayEquals(shape(2, 2), pieces.get(1).shape());
        assertArrayEquals(new float[] {3, 4, 5, 6}, floats(pieces.get(1)));
        pieces.forEach(p -> assertEquals("y", p.name()));
    }

    @Test
    void splitAxis1TakesTheSlabOfEveryOuterBlock() {
        Tensor batched = fp32("stateN", shape(2, 3, 2),
                10, 11, 20, 21, 22, 23,
                12, 13, 24, 25, 26, 27);

        List<Tensor> pieces = TensorBatching.split(batched, 1, new int[] {1, 2});

        assertArrayEquals(shape(2, 1, 2), pieces.get(0).shape());
        assertArrayEquals(new float[] {10, 11, 12, 13}, floats(pieces.get(0)));
        assertArrayEquals(shape(2, 2, 2), pieces.get(1).shape());
        assertArrayEquals(new float[] {20, 21, 22, 23, 24, 25, 26, 27}, floats(pieces.get(1)));
    }

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                // type, per-request shape (batch dim = 1 placeholder), axis, sizes
                Arguments.of(DataType.FP32, shape(1, 512), 0, new int[] {1, 1, 1}),
                Arguments.of(DataType.FP32, shape(1, 3, 4, 5), 0, new int[] {2, 1, 3}),
                Arguments.of(DataType.FP32, shape(2, 1, 128), 1, new int[] {1, 1, 1, 1}),
                Arguments.of(DataType.FP32, shape(2, 1, 128), 1, new int[] {1, 2, 3}),
                Arguments.of(DataType.FP32, shape(1, 1, 4), 1, new int[] {2, 1}),      // outer == 1, not axis 0
                Arguments.of(DataType.FP32, shape(3, 2, 1), 2, new int[] {1, 4, 2}),   // last axis, inner == elem
                Arguments.of(DataType.INT64, shape(1, 7), 0, new int[] {3, 1, 2}),
                Arguments.of(DataType.INT64, shape(2, 1, 3), 1, new int[] {2, 2}),
                Arguments.of(DataType.INT64, shape(1), 0, new int[] {1, 1, 1, 1, 1}));
    }

    @ParameterizedTest(name = "[{index}] {0} {1} axis {2}")
    @MethodSource("roundTrips")
    void concatThenSplitGivesBackTheOriginalBytes(DataType type, long[] itemShape, int axis, int[] sizes) {
        List<Tensor> parts = new ArrayList<>();
        int start = 0;
        for (int size : sizes) {
            long[] s = Shapes.withDim(itemShape, axis, size);
            Tensor t = sequential("in", type, s, start);
            start += (int) t.elementCount();
            parts.add(t);
        }

        Tensor batched = TensorBatching.concat("batched", parts, axis);
        long total = Arrays.stream(sizes).sum();
        assertArrayEquals(Shapes.withDim(itemShape, axis, total), batched.shape());
        assertEquals(parts.stream().mapToInt(Tensor::byteSize).sum(), batched.byteSize());

        List<Tensor> back = TensorBatching.split(batched, axis, sizes);

        assertEquals(parts.size(), back.size());
        for (int i = 0; i < parts.size(); i++) {
            assertArrayEquals(parts.get(i).shape(), back.get(i).shape(), "shape of piece " + i);
            assertArrayEquals(bytes(parts.get(i)), bytes(back.get(i)), "bytes of piece " + i);
            assertEquals(type, back.get(i).datatype());
            assertEquals("batched", back.get(i).name());
        }
    }

    static Stream<Arguments> badSplits() {
        return Stream.of(
                Arguments.of(shape(3, 2), 0, new int[] {1, 1}),      // too few
                Arguments.of(shape(3, 2), 0, new int[] {2, 2}),      // too many
                Arguments.of(shape(2, 3, 2), 1, new int[] {3, 1}),   // too many on axis 1
                Arguments.of(shape(2, 3, 2), 1, new int[] {}),       // none
                Arguments.of(shape(3, 2), 2, new int[] {3}));        // axis outside rank
    }

    @ParameterizedTest(name = "[{index}] axis {1}")
    @MethodSource("badSplits")
    void splitSizesThatDoNotAddUpAreRefused(long[] shape, int axis, int[] sizes) {
        Tensor batched = sequential("y", DataType.FP32, shape, 0);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorBatching.split(batched, axis, sizes));
        assertTrue(e.getMessage().contains("axis " + axis), e.getMessage());
    }
}
