package dev.stratus.core.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.TensorSignature;
import dev.stratus.dataplane.worker.runtime.CatalogConformance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The inference rules on metadata records alone: what ONNX Runtime would report, no model file. */
class SpecInferenceTest {
    static final long ANY = -1;
    static final ModelSource SOURCE = ModelSource.parse("/models/m.onnx", null);

    static TensorSignature t(String name, DataType type, long... shape) {
        return new TensorSignature(name, type, shape);
    }

    static TensorSignature f(String name, long... shape) {
        return t(name, DataType.FP32, shape);
    }

    static ModelSignature sig(List<TensorSignature> inputs, List<TensorSignature> outputs) {
        return new ModelSignature(inputs, outputs);
    }

    static Map<String, long[]> shapes(Object... nameThenDims) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenDims.length; i += 2) {
            m.put((String) nameThenDims[i], (long[]) nameThenDims[i + 1]);
        }
        return m;
    }

    /** One expected input of the inferred entry: name, batch axis (-1 shared), sample shape. */
    record In(String name, int batchAxis, long... sample) {
    }

    static In in(String name, int batchAxis, long... sample) {
        return new In(name, batchAxis, sample);
    }

    static Stream<Arguments> inferred() {
        return Stream.of(
                // label, metadata, warm-up shapes, max batch, expected inputs, phrase of the batching note
                Arguments.of("image classifier: only the batch is dynamic",
                        sig(List.of(f("x", ANY, 3, 224, 224)), List.of(f("probs", ANY, 1000))), shapes(),
                        SpecInference.DEFAULT_MAX_BATCH, List.of(in("x", 0, 1, 3, 224, 224)), "leading dimension"),
                Arguments.of("free height and width given as a warm-up shape",
                        sig(List.of(f("x", ANY, 3, ANY, ANY)), List.of(f("y", ANY, 2))),
                        shapes("x", new long[] {1, 3, 48, 192}), SpecInference.DEFAULT_MAX_BATCH,
                        List.of(in("x", 0, 1, 3, 48, 192)), "up to 64"),
                Arguments.of("two inputs, two outputs, all batched on dim 0",
                        sig(List.of(f("a", ANY, 4), t("mask", DataType.BOOL, ANY, 4)),
                                List.of(f("y", ANY), t("ids", DataType.INT64, ANY, 2))), shapes(),
                        SpecInference.DEFAULT_MAX_BATCH, List.of(in("a", 0, 1, 4), in("mask", 0, 1, 4)), "every input"),
                Arguments.of("fixed at batch 1 (wake-word head)",
                        sig(List.of(f("onnx::Flatten_0", 1, 25, 96)), List.of(f("39", 1, 1))), shapes(), 1,
                        List.of(in("onnx::Flatten_0", 0, 1, 25, 96)),
                        "input 'onnx::Flatten_0' has a fixed leading dimension of 1"),
                Arguments.of("an output with a fixed leading dim keeps it at batch 1",
                        sig(List.of(f("x", ANY, 8)), List.of(f("pooled", 1, 8))), shapes(), 1,
                        List.of(in("x", 0, 1, 8)), "output 'pooled' has a fixed leading dimension of 1"),
                Arguments.of("a fixed leading dim keeps it at batch 1 (VAD-like, shapes given)",
                        sig(List.of(f("input", ANY, ANY), f("state", 2, ANY, 128), t("sr", DataType.INT64)),
                                List.of(f("output", ANY, 1), f("stateN", ANY, ANY, ANY))),
                        shapes("input", new long[] {1, 512}, "state", new long[] {2, 1, 128}), 1,
                        List.of(in("input", 0, 1, 512), in("state", InputSpec.SHARED, 2, 1, 128),
                                in("sr", InputSpec.SHARED)), "input 'state' has a fixed leading dimension of 2"),
                Arguments.of("a scalar input keeps it at batch 1",
                        sig(List.of(f("x", ANY, 3), t("sr", DataType.INT64)), List.of(f("y", ANY, 1))), shapes(), 1,
                        List.of(in("x", 0, 1, 3), in("sr", InputSpec.SHARED)), "input 'sr' is a scalar"),
                Arguments.of("a scalar output keeps it at batch 1",
                        sig(List.of(f("x", ANY, 3)), List.of(f("score"))), shapes(), 1, List.of(in("x", 0, 1, 3)),
                        "output 'score' is a scalar"),
                Arguments.of("a leading dim dynamic on some tensors only is not a batch axis",
                        sig(List.of(f("x", ANY, 3)), List.of(f("y", 2, ANY))), shapes(), 1,
                        List.of(in("x", 0, 1, 3)), "output 'y' has a fixed leading dimension of 2"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("inferred")
    void infersTheEntry(String label, ModelSignature signature, Map<String, long[]> shapes, int maxBatch,
            List<In> expected, String batchingPhrase) {
        ResolvedEntry r = SpecInference.infer("m", "3", SOURCE, signature, shapes);
        ModelSpec spec = r.spec();
        assertEquals("m", spec.name());
        assertEquals("3", spec.version());
        assertEquals(SOURCE, spec.source());
        assertEquals(maxBatch, spec.maxBatchSize());
        assertEquals(expected.size(), spec.inputs().size());
        for (In e : expected) {
            InputSpec actual = spec.input(e.name()).orElseThrow();
            assertEquals(e.batchAxis(), actual.batchAxis(), e.name() + " batch axis");
            assertArrayEquals(e.sample(), actual.sampleShape(), e.name() + " sample shape");
            TensorSignature declared = signature.input(e.name()).orElseThrow();
            assertEquals(declared.datatype(), actual.datatype(), e.name() + " datatype");
        }
        assertEquals(signature.outputs().stream().map(TensorSignature::name).toList(),
                spec.outputs().stream().map(o -> o.name()).toList());
        assertTrue(r.batching().contains(batchingPhrase), r.batching());
        // What is inferred must pass the check every catalog entry passes (models add writes it as one).
        assertEquals(List.of(), CatalogConformance.problems(spec, signature));
    }

    static Stream<Arguments> refused() {
        ModelSignature image = sig(List.of(f("x", ANY, 3, ANY, ANY)), List.of(f("y", ANY, 2)));
        return Stream.of(
                // label, metadata, warm-up shapes, phrases the error must contain
                Arguments.of("free dims without a warm-up shape", image, shapes(),
                        List.of("input 'x'", "dimensions 2 and 3", "[-1, 3, -1, -1]", "--input-shape x=1,3,H,W")),
                Arguments.of("one free dim", sig(List.of(f("tokens", ANY, ANY)), List.of(f("y", ANY))), shapes(),
                        List.of("input 'tokens'", "dimension 1 of [-1, -1] is dynamic", "tokens=1,D1")),
                Arguments.of("each input lacking a shape is named", sig(List.of(f("a", ANY, ANY), f("b", ANY, ANY)),
                        List.of(f("y", ANY))), shapes(), List.of("input 'a'", "input 'b'")),
                Arguments.of("warm-up shape of the wrong rank", image, shapes("x", new long[] {1, 48, 192}),
                        List.of("input 'x'", "rank 3", "rank 4", "1,3,H,W")),
                Arguments.of("warm-up shape with a batch of 2", image, shapes("x", new long[] {2, 3, 48, 192}),
                        List.of("input 'x'", "batch dimension 0 must be 1")),
                Arguments.of("warm-up shape contradicting a fixed dim", image, shapes("x", new long[] {1, 1, 48, 192}),
                        List.of("input 'x'", "contradicts", "dimension 1")),
                Arguments.of("warm-up shape for an input the model lacks", image,
                        shapes("x", new long[] {1, 3, 48, 192}, "image", new long[] {1, 3}),
                        List.of("[image]", "does not have", "[x]")),
                Arguments.of("string input", sig(List.of(t("text", DataType.BYTES, ANY)), List.of(f("y", ANY))),
                        shapes(), List.of("input 'text'", "BYTES (strings)")),
                Arguments.of("string output", sig(List.of(f("x", ANY, 2)), List.of(t("label", DataType.BYTES, ANY))),
                        shapes(), List.of("output 'label'", "BYTES")),
                Arguments.of("no inputs", sig(List.of(), List.of(f("y", 3))), shapes(), List.of("no inputs")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refused")
    void refusesNamingTheInputAndDimension(String label, ModelSignature signature, Map<String, long[]> shapes,
            List<String> phrases) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpecInference.infer("m", "1", SOURCE, signature, shapes));
        for (String phrase : phrases) {
            assertTrue(e.getMessage().contains(phrase), "'" + e.getMessage() + "' should contain '" + phrase + "'");
        }
    }
}
