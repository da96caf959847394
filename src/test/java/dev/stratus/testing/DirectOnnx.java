package dev.stratus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.dataplane.worker.onnx.OnnxEngineFactory;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The reference answer: ONNX Runtime called directly on a sample model's original file, and a comparison. */
public final class DirectOnnx {
    private DirectOnnx() {
    }

    /** The first output of a single-input sample model for {@code inputs}, from ONNX Runtime itself. */
    public static Tensor firstOutput(String sampleModel, List<Tensor> inputs) throws Exception {
        try (InferenceEngine engine = new OnnxEngineFactory().load(SampleModels.spec(sampleModel),
                SampleModels.file(sampleModel), 1)) {
            return engine.infer(Map.of(inputs.get(0).name(), inputs.get(0)), Set.of()).values().iterator().next();
        }
    }

    /** An FP32 tensor equals a JSON output's {@code data} within 1e-4 per element. */
    public static void assertSame(Tensor expected, JsonNode output, String what) {
        ByteBuffer e = expected.data();
        JsonNode data = output.get("data");
        assertEquals(expected.elementCount(), data.size(), what);
        for (JsonNode v : data) {
            assertEquals(e.getFloat(), v.asDouble(), 1e-4, what);
        }
    }
}
