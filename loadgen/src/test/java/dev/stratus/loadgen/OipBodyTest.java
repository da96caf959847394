package dev.stratus.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OipBodyTest {
    static final List<InputSpec> VAD = List.of(
            new InputSpec("input", Datatype.FP32, List.of(1L, 512L), null),
            new InputSpec("state", Datatype.FP32, List.of(2L, 1L, 128L), null),
            new InputSpec("sr", Datatype.INT64, List.of(), 16000.0));

    @Test
    void headerDescribesEachBinaryInputAndAsksForBinaryOutputs() throws Exception {
        OipBody body = OipBody.encode(VAD, new SplittableRandom(1));
        JsonNode header = new ObjectMapper().readTree(new String(body.bytes(), 0, body.headerLength(),
                StandardCharsets.UTF_8));
        assertTrue(header.path("parameters").path("binary_data_output").asBoolean());
        assertEquals(3, header.path("inputs").size());
        JsonNode sr = header.path("inputs").get(2);
        assertEquals("sr", sr.path("name").asText());
        assertEquals("INT64", sr.path("datatype").asText());
        assertEquals(0, sr.path("shape").size());
        assertEquals(8, sr.path("parameters").path("binary_data_size").asInt());
        assertEquals(512 * 4, header.path("inputs").get(0).path("parameters").path("binary_data_size").asInt());
        assertEquals(body.headerLength() + 512 * 4 + 256 * 4 + 8, body.bytes().length);
    }

    @Test
    void tensorsAreLittleEndianRandomFloatsInUnitIntervalAndConstants() {
        OipBody body = OipBody.encode(VAD, new SplittableRandom(1));
        ByteBuffer data = ByteBuffer.wrap(body.bytes()).order(ByteOrder.LITTLE_ENDIAN).position(body.headerLength());
        double sum = 0;
        for (int i = 0; i < 512 + 256; i++) {
            float f = data.getFloat();
            assertTrue(f >= 0 && f < 1, "float " + f);
            sum += f;
        }
        assertEquals(0.5, sum / 768, 0.05);
        assertEquals(16000L, data.getLong());
    }

    @Test
    void aFileIsOneLengthPrefixedBytesElementSentAsIs() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 7};
        OipBody body = OipBody.encode(List.of(new InputSpec("image", Datatype.BYTES, List.of(1L), null,
                new InputFile(java.nio.file.Path.of("page.png"), png))), new SplittableRandom(1));
        JsonNode image = new ObjectMapper().readTree(new String(body.bytes(), 0, body.headerLength(),
                StandardCharsets.UTF_8)).path("inputs").get(0);
        assertEquals("BYTES", image.path("datatype").asText());
        assertEquals(4 + png.length, image.path("parameters").path("binary_data_size").asInt());
        ByteBuffer data = ByteBuffer.wrap(body.bytes()).order(ByteOrder.LITTLE_ENDIAN).position(body.headerLength());
        assertEquals(png.length, data.getInt());
        byte[] sent = new byte[png.length];
        data.get(sent);
        assertTrue(java.util.Arrays.equals(png, sent));
        assertEquals(0, data.remaining());
    }

    @Test
    void namesAreJsonEscaped() throws Exception {
        OipBody body = OipBody.encode(List.of(new InputSpec("onnx::\"odd\\name", Datatype.UINT8, List.of(3L), 7.0)),
                new SplittableRandom(1));
        JsonNode header = new ObjectMapper().readTree(new String(body.bytes(), 0, body.headerLength(),
                StandardCharsets.UTF_8));
        assertEquals("onnx::\"odd\\name", header.path("inputs").get(0).path("name").asText());
        assertEquals(7, body.bytes()[body.headerLength() + 2]);
    }
}
