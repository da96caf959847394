package dev.stratus.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OipRequestDecoderTest {
    private final OipRequestDecoder decoder = new OipRequestDecoder();

    /** Single quotes stand for double quotes, to keep the JSON readable. */
    static String json(String s) {
        return s.replace('\'', '"');
    }

    InferenceRequest decodeJson(String body) {
        byte[] b = json(body).getBytes(StandardCharsets.UTF_8);
        return decoder.decode(b, 0, b.length, ByteBuffer.allocate(0));
    }

    static byte[] bytes(Tensor t) {
        ByteBuffer b = t.data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static byte[] le(DataType type, Number... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (Number v : values) {
            switch (type) {
                case FP32 -> b.putFloat(v.floatValue());
                case FP64 -> b.putDouble(v.doubleValue());
                case INT64 -> b.putLong(v.longValue());
                case INT32 -> b.putInt(v.intValue());
                default -> throw new IllegalArgumentException(type.name());
            }
        }
        return b.array();
    }

    // ------------------------------------------------------------------ BYTES

    @Test
    void bytesInJsonAreUtf8Strings() {
        InferenceRequest r = decodeJson("{'inputs':[{'name':'s','datatype':'BYTES','shape':[2],'data':['héllo','']}]}");
        Tensor t = r.inputs().get(0);
        assertEquals(DataType.BYTES, t.datatype());
        List<byte[]> e = t.bytesElements();
        assertEquals("héllo", new String(e.get(0), StandardCharsets.UTF_8));
        assertEquals(0, e.get(1).length);
    }

    @Test
    void bytesInBinaryAreLengthPrefixedElements() {
        byte[] image = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        ByteBuffer data = ByteBuffer.allocate(4 + image.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(image.length).put(image).putInt(0);
        byte[] header = json("{'inputs':[{'name':'image','datatype':'BYTES','shape':[2],'parameters':"
                + "{'binary_data_size':" + data.capacity() + "}}]}").getBytes(StandardCharsets.UTF_8);
        InferenceRequest r = decoder.decode(header, 0, header.length, data.flip());
        List<byte[]> e = r.inputs().get(0).bytesElements();
        assertArrayEquals(image, e.get(0));
        assertEquals(0, e.get(1).length);
    }

    @Test
    void bytesInBinaryWithALengthPastTheEndAreRefused() {
        ByteBuffer data = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putInt(100).put((byte) 1).put((byte) 2);
        byte[] header = json("{'inputs':[{'name':'image','datatype':'BYTES','shape':[1],'parameters':"
                + "{'binary_data_size':6}}]}").getBytes(StandardCharsets.UTF_8);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> decoder.decode(header, 0, header.length, data.flip()));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("declares 100 bytes but 2 remain"), e.getMessage());
    }

    // ------------------------------------------------------------------ bad requests

    static final String X = "{'name':'x','datatype':'FP32','shape':[2],'data':[1,2]}";

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("malformed JSON", "{'inputs': [", "malformed JSON"),
                Arguments.of("not JSON at all", "hello", "malformed JSON"),
                Arguments.of("empty body", "", "must be a JSON object"),
                Arguments.of("array body", "[" + X + "]", "must be a JSON object"),
                Arguments.of("string body", "'inputs'", "must be a JSON object"),
                Arguments.of("trailing object", "{'inputs':[" + X + "]} {}", "unexpected content"),
                Arguments.of("no inputs", "{'id':'1'}", "no 'inputs'"),
                Arguments.of("empty inputs", "{'inputs':[]}", "no 'inputs'"),
                Arguments.of("inputs not a list", "{'inputs':{}}", "'inputs' must be a list"),
                Arguments.of("input not an object", "{'inputs':[3]}", "must be an object"),
                Arguments.of("input without name",
                        "{'inputs':[{'datatype':'FP32','shape':[1],'data':[1]}]}", "has no 'name'"),
                Arguments.of("input without datatype",
                        "{'inputs':[{'name':'x','shape':[1],'data':[1]}]}", "has no 'datatype'"),
                Arguments.of("input without shape",
                        "{'inputs':[{'name':'x','datatype':'FP32','data':[1]}]}", "has no 'shape'"),
                Arguments.of("name not a string",
                        "{'inputs':[{'name':3,'datatype':'FP32','shape':[1],'data':[1]}]}", "must be a string"),
                Arguments.of("negative dim",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[-1],'data':[1]}]}", "non-negative integers"),
                Arguments.of("fractional dim",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[1.5],'data':[1]}]}", "non-negative integers"),
                Arguments.of("unknown datatype",
                        "{'inputs':[{'name':'x','datatype':'FOO','shape':[1],'data':[1]}]}", "unknown datatype 'FOO'"),
                Arguments.of("BYTES element not a string",
                        "{'inputs':[{'name':'x','datatype':'BYTES','shape':[1],'data':[1]}]}", "is not a string"),
                Arguments.of("BYTES data given before the datatype, as numbers",
                        "{'inputs':[{'name':'x','data':[1],'datatype':'BYTES','shape':[1]}]}",
                        "BYTES data must be strings"),
                Arguments.of("BYTES element count below the shape",
                        "{'inputs':[{'name':'x','datatype':'BYTES','shape':[2],'data':['a']}]}",
                        "needs 2 elements but 'data' has 1"),
                Arguments.of("BYTES binary shorter than its element lengths",
                        "{'inputs':[{'name':'x','datatype':'BYTES','shape':[1],'parameters':{'binary_data_size':0}}]}",
                        "needs 1 BYTES elements, got 0"),
                Arguments.of("both data and binary_data_size",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[1],'data':[1],"
                                + "'parameters':{'binary_data_size':4}}]}", "both 'data' and binary_data_size"),
                Arguments.of("neither data nor binary_data_size",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[1]}]}", "no 'data' and no binary_data_size"),
                Arguments.of("negative binary_data_size",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[1],'parameters':{'binary_data_size':-4}}]}",
                        "binary_data_size must be a non-negative integer"),
                Arguments.of("too few elements",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[2,2],'data':[1,2,3]}]}",
                        "needs 4 elements but 'data' has 3"),
                Arguments.of("too many elements",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[1],'data':[1,2]}]}",
                        "needs 1 elements but 'data' has 2"),
                Arguments.of("string element",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[2],'data':[1,'2']}]}",
                        "element 1 is not a number (got \"2\")"),
                Arguments.of("null element",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[2],'data':[null,1]}]}",
                        "element 0 is not a number (got null)"),
                Arguments.of("object element",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[2],'data':[1,{'v':2}]}]}",
                        "element 1 is not a number (got an object)"),
                Arguments.of("float for INT64",
                        "{'inputs':[{'name':'ids','datatype':'INT64','shape':[3],'data':[1,2.5,3]}]}",
                        "element 1 (2.5) is not an integer but the datatype is INT64"),
                Arguments.of("out of range for INT8",
                        "{'inputs':[{'name':'x','datatype':'INT8','shape':[1],'data':[200]}]}",
                        "out of range for INT8"),
                Arguments.of("duplicate input names",
                        "{'inputs':[" + X + "," + X + "]}", "input 'x' is given more than once"),
                Arguments.of("timeout negative",
                        "{'inputs':[" + X + "],'parameters':{'timeout':-1}}", "parameter 'timeout'"),
                Arguments.of("timeout fractional",
                        "{'inputs':[" + X + "],'parameters':{'timeout':1.5}}", "parameter 'timeout'"),
                Arguments.of("timeout string",
                        "{'inputs':[" + X + "],'parameters':{'timeout':'100'}}", "parameter 'timeout'"),
                Arguments.of("parameters not an object",
                        "{'inputs':[" + X + "],'parameters':[]}", "'parameters' must be an object"),
                Arguments.of("binary_data_output not boolean",
                        "{'inputs':[" + X + "],'parameters':{'binary_data_output':1}}", "'binary_data_output' must be a boolean"),
                Arguments.of("id not a string", "{'id':7,'inputs':[" + X + "]}", "'id' must be a string"),
                Arguments.of("outputs not a list", "{'inputs':[" + X + "],'outputs':{}}", "'outputs' must be a list"),
                Arguments.of("output without name",
                        "{'inputs':[" + X + "],'outputs':[{'parameters':{'binary_data':true}}]}",
                        "outputs[0] has no 'name'"),
                Arguments.of("second output without name",
                        "{'inputs':[" + X + "],'outputs':[{'name':'y'},{}]}", "outputs[1] has no 'name'"),
                Arguments.of("output binary_data not boolean",
                        "{'inputs':[" + X + "],'outputs':[{'name':'y','parameters':{'binary_data':'yes'}}]}",
                        "'binary_data' must be a boolean"),
                Arguments.of("classification output parameter",
                        "{'inputs':[" + X + "],'outputs':[{'name':'y','parameters':{'classification':3}}]}",
                        "outputs[0] ('y'): parameter 'classification' is not supported by this server"),
                Arguments.of("sequence request parameter",
                        "{'inputs':[" + X + "],'parameters':{'sequence_id':7}}",
                        "request: parameter 'sequence_id' is not supported by this server (supported here: timeout, "
                                + "binary_data_output)"),
                Arguments.of("priority request parameter",
                        "{'inputs':[" + X + "],'parameters':{'priority':1}}", "parameter 'priority' is not supported"),
                Arguments.of("shared-memory input parameter",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[1],'data':[1],"
                                + "'parameters':{'shared_memory_region':'r'}}]}",
                        "inputs[0] ('x'): parameter 'shared_memory_region' is not supported"),
                Arguments.of("binary size declared but no binary section",
                        "{'inputs':[{'name':'x','datatype':'FP32','shape':[1],'parameters':{'binary_data_size':4}}]}",
                        "add up to 4 bytes but the body carries 0 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsAreRefusedWith400(String label, String body, String phrase) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decodeJson(body));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(phrase), "message '" + e.getMessage() + "' should contain '" + phrase + "'");
    }

    static Stream<Arguments> badBinaryRequests() {
        String twoInputs = "{'inputs':["
                + "{'name':'a','datatype':'FP32','shape':[2],'parameters':{'binary_data_size':8}},"
                + "{'name':'b','datatype':'INT64','shape':[1],'parameters':{'binary_data_size':8}}]}";
        return Stream.of(
                Arguments.of(twoInputs, 15, "add up to 16 bytes but the body carries 15 bytes"),
                Arguments.of(twoInputs, 17, "add up to 16 bytes but the body carries 17 bytes"),
                Arguments.of("{'inputs':[" + X + "]}", 4, "add up to 0 bytes but the body carries 4 bytes"),
                Arguments.of("{'inputs':[{'name':'a','datatype':'FP32','shape':[3],'parameters':{'binary_data_size':8}}]}",
                        8, "needs 12 bytes but binary_data_size is 8"));
    }

    @ParameterizedTest(name = "[{index}] {1} bytes")
    @MethodSource("badBinaryRequests")
    void binarySizesThatDoNotMatchAreRefused(String header, int binaryBytes, String phrase) {
        byte[] h = json(header).getBytes(StandardCharsets.UTF_8);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> decoder.decode(h, 0, h.length, ByteBuffer.allocate(binaryBytes)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(phrase), e.getMessage());
    }

    // ------------------------------------------------------------------ good requests

    static Stream<Arguments> jsonTensors() {
        return Stream.of(
                Arguments.of("{'name':'x','datatype':'FP32','shape':[3],'data':[1.5,-2,0.25]}",
                        DataType.FP32, new long[] {3}, le(DataType.FP32, 1.5f, -2f, 0.25f)),
                Arguments.of("{'name':'x','datatype':'fp32','shape':[1,2],'data':[[3.0,4]]}",
                        DataType.FP32, new long[] {1, 2}, le(DataType.FP32, 3f, 4f)),
                Arguments.of("{'name':'sr','datatype':'INT64','shape':[],'data':16000}",
                        DataType.INT64, new long[] {}, le(DataType.INT64, 16000L)),
                Arguments.of("{'name':'ids','datatype':'INT64','shape':[2,2],'data':[[1,-1],[9223372036854775807,0]]}",
                        DataType.INT64, new long[] {2, 2}, le(DataType.INT64, 1L, -1L, Long.MAX_VALUE, 0L)),
                Arguments.of("{'name':'x','datatype':'FP64','shape':[2],'data':[0.1,2]}",
                        DataType.FP64, new long[] {2}, le(DataType.FP64, 0.1, 2.0)),
                Arguments.of("{'name':'x','datatype':'INT32','shape':[2,1,1],'data':[[[-7]],[[2147483647]]]}",
                        DataType.INT32, new long[] {2, 1, 1}, le(DataType.INT32, -7, Integer.MAX_VALUE)),
                Arguments.of("{'name':'b','datatype':'BOOL','shape':[3],'data':[true,false,1]}",
                        DataType.BOOL, new long[] {3}, new byte[] {1, 0, 1}),
                Arguments.of("{'name':'e','datatype':'FP32','shape':[0],'data':[]}",
                        DataType.FP32, new long[] {0}, new byte[0]));
    }

    @ParameterizedTest(name = "[{index}] {1} {0}")
    @MethodSource("jsonTensors")
    void jsonDataDecodesToLittleEndianBytes(String input, DataType type, long[] shape, byte[] expected) {
        InferenceRequest r = decodeJson("{'inputs':[" + input + "]}");

        assertEquals(1, r.inputs().size());
        Tensor t = r.inputs().get(0);
        assertEquals(type, t.datatype());
        assertArrayEquals(shape, t.shape());
        assertArrayEquals(expected, bytes(t));
    }

    @Test
    void defaultsWhenNoOptionalFieldsAreGiven() {
        InferenceRequest r = decodeJson("{'inputs':[" + X + "]}");

        assertEquals(Optional.empty(), r.id());
        assertEquals(OptionalLong.empty(), r.timeoutMicros());
        assertFalse(r.binaryOutputs());
        assertEquals(List.of(), r.outputs());
    }

    @Test
    void idTimeoutAndBinaryDataOutputAreParsed() {
        InferenceRequest r = decodeJson("{'id':'req-42','unknown':{'nested':[1,2,{}]},"
                + "'parameters':{'timeout':250000,'binary_data_output':true},"
                + "'inputs':[" + X + "]}");

        assertEquals(Optional.of("req-42"), r.id());
        assertEquals(OptionalLong.of(250_000), r.timeoutMicros());
        assertTrue(r.binaryOutputs());
        assertEquals("x", r.inputs().get(0).name());
    }

    @Test
    void zeroTimeoutIsAccepted() {
        assertEquals(OptionalLong.of(0), decodeJson("{'inputs':[" + X + "],'parameters':{'timeout':0}}").timeoutMicros());
    }

    @Test
    void requestedOutputsCarryTheirBinaryDataFlag() {
        InferenceRequest r = decodeJson("{'inputs':[" + X + "],'outputs':["
                + "{'name':'a','parameters':{'binary_data':true}},"
                + "{'name':'b','parameters':{'binary_data':false}},"
                + "{'name':'c'}]}");

        assertEquals(List.of(new RequestedOutput("a", Optional.of(true)), new RequestedOutput("b", Optional.of(false)),
                new RequestedOutput("c", Optional.empty())), r.outputs());
    }

    @Test
    void binaryExtensionSlicesTheBinarySectionInInputOrder() {
        // JSON input in the middle: only the binary ones take bytes from the section.
        String header = json("{'inputs':["
                + "{'name':'input','datatype':'FP32','shape':[1,3],'parameters':{'binary_data_size':12}},"
                + "{'name':'mid','datatype':'INT64','shape':[1],'data':[7]},"
                + "{'name':'sr','datatype':'INT64','shape':[],'parameters':{'binary_data_size':8}}]}");
        byte[] floats = le(DataType.FP32, 0.5f, -1f, 3f);
        byte[] sr = le(DataType.INT64, 16000L);
        // The body as received: header followed by the raw bytes; decode from an offset inside a larger array.
        byte[] prefix = "garbage".getBytes(StandardCharsets.UTF_8);
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(prefix.length + headerBytes.length + floats.length + sr.length);
        body.put(prefix).put(headerBytes).put(floats).put(sr);
        byte[] all = body.array();
        ByteBuffer binary = ByteBuffer.wrap(all, prefix.length + headerBytes.length, floats.length + sr.length);

        InferenceRequest r = decoder.decode(all, prefix.length, headerBytes.length, binary);

        assertEquals(3, r.inputs().size());
        Tensor input = r.inputs().get(0);
        assertEquals("input", input.name());
        assertArrayEquals(new long[] {1, 3}, input.shape());
        assertArrayEquals(floats, bytes(input));
        assertEquals(0.5f, input.data().getFloat(0));
        assertArrayEquals(le(DataType.INT64, 7L), bytes(r.inputs().get(1)));
        Tensor rate = r.inputs().get(2);
        assertEquals("sr", rate.name());
        assertEquals(DataType.INT64, rate.datatype());
        assertArrayEquals(sr, bytes(rate));
        assertEquals(16000L, rate.data().getLong(0));
    }

    @Test
    void zeroSizedBinaryInputIsAccepted() {
        byte[] h = json("{'inputs':[{'name':'e','datatype':'FP32','shape':[0,4],'parameters':{'binary_data_size':0}}]}")
                .getBytes(StandardCharsets.UTF_8);
        InferenceRequest r = decoder.decode(h, 0, h.length, ByteBuffer.allocate(0));
        assertEquals(0, r.inputs().get(0).byteSize());
    }
}
