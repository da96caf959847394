package dev.stratus.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OipResponseEncoderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final OipResponseEncoder encoder = new OipResponseEncoder();

    static Tensor tensor(String name, DataType type, long[] shape, int elements, Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(elements * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return new Tensor(name, type, shape, b.flip());
    }

    static JsonNode parse(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    static InferenceResponse response(InferenceResponse.Output... outputs) {
        return new InferenceResponse("vad", "1", Optional.of("req-1"), List.of(outputs));
    }

    static Stream<Arguments> jsonOutputs() {
        return Stream.of(
                Arguments.of(tensor("p", DataType.FP32, new long[] {1, 3}, 3,
                        b -> b.putFloat(0.5f).putFloat(-1.25f).putFloat(3f)), "[0.5,-1.25,3.0]"),
                Arguments.of(tensor("p", DataType.FP64, new long[] {2}, 2,
                        b -> b.putDouble(0.1).putDouble(-2)), "[0.1,-2.0]"),
                Arguments.of(tensor("ids", DataType.INT64, new long[] {3}, 3,
                        b -> b.putLong(Long.MIN_VALUE).putLong(0).putLong(Long.MAX_VALUE)),
                        "[-9223372036854775808,0,9223372036854775807]"),
                Arguments.of(tensor("u", DataType.UINT64, new long[] {1}, 1, b -> b.putLong(-1L)),
                        "[18446744073709551615]"),
                Arguments.of(tensor("i", DataType.INT32, new long[] {2}, 2, b -> b.putInt(-7).putInt(42)), "[-7,42]"),
                Arguments.of(tensor("u", DataType.UINT32, new long[] {1}, 1, b -> b.putInt(-1)), "[4294967295]"),
                Arguments.of(tensor("u", DataType.UINT16, new long[] {1}, 1, b -> b.putShort((short) -1)), "[65535]"),
                Arguments.of(tensor("u", DataType.UINT8, new long[] {2}, 2, b -> b.put((byte) -1).put((byte) 7)),
                        "[255,7]"),
                Arguments.of(tensor("i", DataType.INT8, new long[] {1}, 1, b -> b.put((byte) -1)), "[-1]"),
                Arguments.of(tensor("b", DataType.BOOL, new long[] {2}, 2, b -> b.put((byte) 1).put((byte) 0)),
                        "[true,false]"),
                Arguments.of(tensor("h", DataType.FP16, new long[] {1}, 1,
                        b -> b.putShort(Float.floatToFloat16(-1.5f))), "[-1.5]"),
                Arguments.of(tensor("h", DataType.BF16, new long[] {1}, 1,
                        b -> b.putShort((short) (Float.floatToIntBits(-2.5f) >>> 16))), "[-2.5]"),
                Arguments.of(tensor("e", DataType.FP32, new long[] {0, 2}, 0, b -> {
                }), "[]"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("jsonOutputs")
    void jsonOutputWritesTheDataArray(Tensor t, String expectedData) throws IOException {
        EncodedBody body = encoder.encode(response(new InferenceResponse.Output(t, false)));

        JsonNode root = parse(body.json());
        JsonNode out = root.get("outputs").get(0);
        assertEquals(t.name(), out.get("name").asText());
        assertEquals(t.datatype().name(), out.get("datatype").asText());
        assertEquals(MAPPER.readTree(Arrays.toString(t.shape())), out.get("shape"));
        assertEquals(parse(expectedData.getBytes(StandardCharsets.UTF_8)), out.get("data"));
        assertFalse(out.has("parameters"));

        assertEquals(List.of(), body.binaryParts());
        assertEquals(OptionalInt.empty(), body.headerLength());
        assertEquals(EncodedBody.JSON_CONTENT_TYPE, body.contentType());
        assertEquals(body.json().length, body.length());
    }

    @Test
    void responseCarriesModelNameVersionAndId() throws IOException {
        Tensor t = tensor("p", DataType.FP32, new long[] {1}, 1, b -> b.putFloat(1));
        JsonNode root = parse(encoder.encode(response(new InferenceResponse.Output(t, false))).json());
        assertEquals("vad", root.get("model_name").asText());
        assertEquals("1", root.get("model_version").asText());
        assertEquals("req-1", root.get("id").asText());

        JsonNode noId = parse(encoder.encode(new InferenceResponse("m", "2", Optional.empty(),
                List.of(new InferenceResponse.Output(t, false)))).json());
        assertFalse(noId.has("id"));
    }

    @Test
    void binaryOutputsGoAfterTheJsonHeader() throws IOException {
        Tensor prob = tensor("output", DataType.FP32, new long[] {2, 1}, 2, b -> b.putFloat(0.25f).putFloat(0.75f));
        Tensor state = tensor("stateN", DataType.FP32, new long[] {2, 1, 2}, 4,
                b -> b.putFloat(1).putFloat(2).putFloat(3).putFloat(4));
        Tensor ids = tensor("ids", DataType.INT64, new long[] {1}, 1, b -> b.putLong(5));

        EncodedBody body = encoder.encode(response(new InferenceResponse.Output(prob, true),
                new InferenceResponse.Output(ids, false), new InferenceResponse.Output(state, true)));

        assertEquals(OptionalInt.of(body.json().length), body.headerLength());
        assertEquals(EncodedBody.BINARY_CONTENT_TYPE, body.contentType());
        assertEquals(body.json().length + 8 + 16, body.length());
        assertEquals(2, body.binaryParts().size());
        assertArrayEquals(bytes(prob.data()), bytes(body.binaryParts().get(0)));
        assertArrayEquals(bytes(state.data()), bytes(body.binaryParts().get(1)));

        JsonNode outputs = parse(body.json()).get("outputs");
        assertEquals(3, outputs.size());
        assertEquals(8, outputs.get(0).get("parameters").get("binary_data_size").asInt());
        assertFalse(outputs.get(0).has("data"));
        assertEquals(parse("[5]".getBytes(StandardCharsets.UTF_8)), outputs.get(1).get("data"));
        assertFalse(outputs.get(1).has("parameters"));
        assertEquals(16, outputs.get(2).get("parameters").get("binary_data_size").asInt());
        assertEquals("stateN", outputs.get(2).get("name").asText());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("model not found", "{\"error\":\"model not found\"}"),
                Arguments.of("input 'x' has \"quotes\"", "{\"error\":\"input 'x' has \\\"quotes\\\"\"}"),
                Arguments.of("back\\slash", "{\"error\":\"back\\\\slash\"}"),
                Arguments.of("", "{\"error\":\"\"}"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("errors")
    void errorBodyEscapesTheMessage(String message, String expected) throws IOException {
        byte[] body = encoder.error(message);

        assertEquals(expected, new String(body, StandardCharsets.UTF_8));
        assertEquals(message, parse(body).get("error").asText());
    }

    @Test
    void errorBodyEscapesControlCharacters() throws IOException {
        String message = "line1\nline2\ttab";
        byte[] body = encoder.error(message);
        String text = new String(body, StandardCharsets.UTF_8);
        assertFalse(text.contains("\n"), text);
        assertTrue(text.contains("\\n"), text);
        assertEquals(message, parse(body).get("error").asText());
    }

}
