package dev.stratus.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.protocol.InferenceRequest;
import dev.stratus.dataplane.protocol.OipBinaryRequest;
import dev.stratus.dataplane.protocol.OipRequestDecoder;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A binary inference body as {@link RequestBody} hands it over, the chunks it arrived in side by side in a composite
 * buffer: wherever the chunks split the header or the tensors, the decoded tensors are the ones sent.
 */
class InferenceBodyTest {
    private static final Tensor X = floats("x", 2, 3, 1.5f, -2f, 3.25f, 0f, 7f, 1e-3f);
    private static final Tensor Y = floats("y", 1, 2, 42f, -0.5f);
    private static final OipBinaryRequest BODY = OipBinaryRequest.of(List.of(X, Y));

    static Stream<Arguments> chunkings() {
        int h = BODY.headerLength();
        int n = BODY.body().length;
        return Stream.of(
                Arguments.of("one chunk", new int[] {}),
                Arguments.of("header, then all tensors", new int[] {h}),
                Arguments.of("header split", new int[] {h / 2}),
                Arguments.of("first tensor split", new int[] {h, h + 10}),
                Arguments.of("split between the tensors", new int[] {h + 24}),
                Arguments.of("a chunk spanning header and tensors", new int[] {h - 3, h + 30}),
                Arguments.of("every byte a chunk", java.util.stream.IntStream.range(1, n).toArray()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunkings")
    void decodesTensorsWhereverTheChunksSplitTheBody(String name, int[] cuts) {
        CompositeByteBuf chunks = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        int from = 0;
        for (int cut : cuts) {
            chunks.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(BODY.body(), from, cut)));
            from = cut;
        }
        chunks.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(BODY.body(), from, BODY.body().length)));
        Buffer body = Buffer.buffer(chunks);
        assertEquals(BODY.body().length, body.length());

        InferenceRequest request = InferenceBody.decode(new OipRequestDecoder(), body,
                InferenceBody.headerLength(Integer.toString(BODY.headerLength()), body));
        assertEquals(2, request.inputs().size(), name);
        assertTrue(request.inputs().get(0).sameContent(X), name + ": " + request.inputs().get(0));
        assertTrue(request.inputs().get(1).sameContent(Y), name + ": " + request.inputs().get(1));
    }

    private static Tensor floats(String name, long rows, long cols, float... values) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            data.putFloat(v);
        }
        return new Tensor(name, DataType.FP32, new long[] {rows, cols}, data.flip());
    }
}
