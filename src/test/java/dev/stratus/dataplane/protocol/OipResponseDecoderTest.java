package dev.stratus.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What the encoder writes, the decoder reads back: numbers and BYTES, as JSON and as binary. */
class OipResponseDecoderTest {
    private final OipResponseEncoder encoder = new OipResponseEncoder();

    static Tensor floats(String name, float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return new Tensor(name, DataType.FP32, new long[] {1, v.length}, b.flip());
    }

    static byte[] body(EncodedBody e) {
        ByteBuffer out = ByteBuffer.allocate((int) e.length()).put(e.json());
        e.binaryParts().forEach(p -> out.put(p.duplicate()));
        return out.array();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTrips(boolean binary) {
        Tensor scores = floats("scores", 0.25f, -1.5f, 3f);
        Tensor text = Tensor.bytes("text", new long[] {2}, List.of("héllo".getBytes(StandardCharsets.UTF_8),
                new byte[0]));
        EncodedBody e = encoder.encode(new InferenceResponse("ocr", "1", Optional.empty(), List.of(
                new InferenceResponse.Output(scores, binary), new InferenceResponse.Output(text, binary))));
        Map<String, Tensor> out = OipResponseDecoder.outputs(body(e), e.headerLength());
        assertEquals(List.of("scores", "text"), List.copyOf(out.keySet()));
        assertTrue(out.get("scores").sameContent(scores));
        List<byte[]> strings = out.get("text").bytesElements();
        assertEquals("héllo", new String(strings.get(0), StandardCharsets.UTF_8));
        assertEquals(0, strings.get(1).length);
        assertArrayEquals(new long[] {2}, out.get("text").shape());
    }

    @Test
    void anUnreadableAnswerIsTheReplicasFault() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> OipResponseDecoder.outputs(
                "{\"outputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"parameters\":{\"binary_data_size\":8}}]}"
                        .getBytes(StandardCharsets.UTF_8), OptionalInt.empty()));
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("declares 8 bytes but 0 remain"), e.getMessage());
    }

    @Test
    void errorBodiesGiveTheirMessage() {
        assertEquals("shed: busy", OipResponseDecoder.error(encoder.error("shed: busy")));
        assertEquals("plain text", OipResponseDecoder.error("plain text".getBytes(StandardCharsets.UTF_8)));
        assertEquals("(empty body)", OipResponseDecoder.error(new byte[0]));
    }
}
