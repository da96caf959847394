package dev.stratus.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What the encoder writes, the worker's decoder reads back unchanged: as binary tensors and as JSON. */
class OipRequestEncoderTest {
    private final OipRequestDecoder decoder = new OipRequestDecoder();

    private static Tensor tensor(String name, DataType type, long[] shape, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (type) {
                case FP32 -> b.putFloat((float) v);
                case INT64 -> b.putLong((long) v);
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return new Tensor(name, type, shape, b.flip());
    }

    private final InferenceRequest request = new InferenceRequest(Optional.of("r1"), List.of(
            tensor("x", DataType.FP32, new long[] {1, 3}, 0.5, -2.25, 1e6),
            tensor("sr", DataType.INT64, new long[] {1}, 16000)),
            List.of(new RequestedOutput("y", Optional.of(true))), OptionalLong.of(2500), true);

    @Test
    void binaryAndJsonBodiesDecodeToTheSameRequest() {
        for (boolean binary : List.of(true, false)) {
            EncodedBody body = binary ? OipRequestEncoder.binary(request) : OipRequestEncoder.json(request);
            assertEquals(binary, body.headerLength().isPresent(), "binary: " + binary);
            ByteBuffer rest = ByteBuffer.allocate((int) (body.length() - body.json().length));
            body.binaryParts().forEach(p -> rest.put(p.duplicate()));
            InferenceRequest back = decoder.decode(body.json(), 0, body.json().length, rest.flip());
            assertEquals(Optional.of("r1"), back.id());
            assertEquals(OptionalLong.of(2500), back.timeoutMicros());
            assertEquals(List.of("y"), back.outputs().stream().map(RequestedOutput::name).toList());
            assertEquals(binary, back.outputs().get(0).binary().orElse(false), "outputs asked in kind");
            assertEquals(binary, back.binaryOutputs());
            for (int i = 0; i < request.inputs().size(); i++) {
                Tensor want = request.inputs().get(i);
                Tensor got = back.inputs().get(i);
                assertEquals(want.name(), got.name());
                assertEquals(want.datatype(), got.datatype());
                assertArrayEquals(want.shape(), got.shape());
                assertEquals(want.data(), got.data().order(ByteOrder.LITTLE_ENDIAN), want.name() + " bytes");
            }
        }
        assertTrue(new String(OipRequestEncoder.json(request).json()).contains("\"data\":[0.5,-2.25,1000000.0]"));
    }
}
