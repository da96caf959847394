package dev.stratus.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stratus.core.model.Tensor;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing (Jazzer) of the Open Inference Protocol request decoder, JSON and binary alike: any
 * body ends in a request whose tensors hold exactly the bytes their shape and datatype need, or in a 400 with a
 * message; never in another exception, a crash or a hang. A finding fails the test and is saved under
 * src/test/resources/.../OipDecoderFuzzTestInputs/ as a regression input.
 *
 * <p>Input layout: the first two bytes give the length of the JSON header (capped at what follows); the rest
 * after it is the binary section, as with {@code Inference-Header-Content-Length}. The seeds in the inputs
 * directory are valid JSON and binary requests. {@code ./stratus test} fuzzes for the duration below in its own
 * JVM (the pom's fuzz execution); run alone, with {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=OipDecoderFuzzTest},
 * or without that variable to replay the seeds and findings only.
 */
class OipDecoderFuzzTest {
    private final OipRequestDecoder decoder = new OipRequestDecoder();

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"\"inputs\"", "\"outputs\"", "\"name\"", "\"datatype\"", "\"shape\"", "\"data\"",
            "\"parameters\"", "\"binary_data_size\"", "\"binary_data\"", "\"binary_data_output\"", "\"timeout\"",
            "\"id\"", "\"FP32\"", "\"FP16\"", "\"INT64\"", "\"INT8\"", "\"UINT8\"", "\"BOOL\"", "\"BYTES\"", "\"FP64\"",
            "true", "false", "null", "[[", "]]", "1e308", "-1", "9223372036854775807"})
    void decode(byte[] input) {
        int start = Math.min(2, input.length);
        int declared = input.length < 2 ? 0 : ((input[0] & 0xff) << 8) | (input[1] & 0xff);
        int headerLength = Math.min(declared, input.length - start);
        ByteBuffer binary = ByteBuffer.wrap(input, start + headerLength, input.length - start - headerLength).slice();
        try {
            InferenceRequest request = decoder.decode(input, start, headerLength, binary);
            for (Tensor t : request.inputs()) {
                assertEquals(t.elementCount() * t.datatype().byteSize(), t.data().remaining(), t.name());
            }
            assertFalse(request.inputs().isEmpty());
        } catch (ProtocolException e) {
            assertEquals(400, e.status(), e.getMessage());
            assertFalse(e.getMessage() == null || e.getMessage().isBlank());
        }
    }
}
