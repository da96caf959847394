package dev.stratus.dataplane.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.OutputSpec;
import dev.stratus.core.model.TensorSignature;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CatalogConformanceTest {
    static final ModelSource SOURCE = ModelSource.parse("npm:pkg@1.0.0/m.onnx", "0".repeat(64));
    static final int ANY = -1;

    static ModelSpec spec(int maxBatch, List<InputSpec> inputs, List<OutputSpec> outputs) {
        return new ModelSpec("m", "1", "", "MIT", SOURCE, inputs, outputs, maxBatch);
    }

    static InputSpec in(String name, DataType type, int batchAxis, long... sample) {
        return new InputSpec(name, type, sample, batchAxis, List.of());
    }

    static TensorSignature sig(String name, DataType type, long... shape) {
        return new TensorSignature(name, type, shape);
    }

    /** A Silero-VAD-like catalog entry with batch size {@code maxBatch}. */
    static ModelSpec vad(int maxBatch) {
        return spec(maxBatch,
                List.of(in("input", DataType.FP32, 0, 1, 512),
                        in("state", DataType.FP32, 1, 2, 1, 128),
                        new InputSpec("sr", DataType.INT64, new long[0], InputSpec.SHARED, List.of(16000.0))),
                List.of(new OutputSpec("output", 0), new OutputSpec("stateN", 1)));
    }

    /** What the runtime reads from such a model: dynamic batch dims. */
    static ModelSignature vadSignature() {
        return new ModelSignature(
                List.of(sig("input", DataType.FP32, ANY, ANY),
                        sig("state", DataType.FP32, 2, ANY, 128),
                        sig("sr", DataType.INT64)),
                List.of(sig("output", DataType.FP32, ANY, 1), sig("stateN", DataType.FP32, 2, ANY, 128)));
    }

    static ModelSignature withInput(ModelSignature base, TensorSignature replacement) {
        return new ModelSignature(base.inputs().stream()
                .map(t -> t.name().equals(replacement.name()) ? replacement : t).toList(), base.outputs());
    }

    static ModelSignature withOutput(ModelSignature base, TensorSignature replacement) {
        return new ModelSignature(base.inputs(), base.outputs().stream()
                .map(t -> t.name().equals(replacement.name()) ? replacement : t).toList());
    }

    @Test
    void conformingEntryHasNoProblems() {
        assertEquals(List.of(), CatalogConformance.problems(vad(64), vadSignature()));
    }

    @Test
    void entryFixedAtBatch1MayMatchAModelWithFixedBatchDims() {
        ModelSpec wakeword = spec(1, List.of(in("onnx::Flatten_0", DataType.FP32, 0, 1, 25, 96)),
                List.of(new OutputSpec("39", 0)));
        ModelSignature fixed = new ModelSignature(List.of(sig("onnx::Flatten_0", DataType.FP32, 1, 25, 96)),
                List.of(sig("39", DataType.FP32, 1, 1)));

        assertEquals(List.of(), CatalogConformance.problems(wakeword, fixed));
    }

    static Stream<Arguments> contradictions() {
        ModelSignature ok = vadSignature();
        return Stream.of(
                // label, spec, signature, phrases of the one expected problem
                Arguments.of("wrong input name", vad(64),
                        new ModelSignature(List.of(sig("audio", DataType.FP32, ANY, ANY),
                                sig("state", DataType.FP32, 2, ANY, 128), sig("sr", DataType.INT64)), ok.outputs()),
                        List.of(List.of("catalog inputs [input] do not exist in the model", "audio"),
                                List.of("model inputs [audio] are missing from the catalog"))),
                Arguments.of("missing output in the catalog", spec(64,
                                List.of(in("input", DataType.FP32, 0, 1, 512),
                                        in("state", DataType.FP32, 1, 2, 1, 128),
                                        new InputSpec("sr", DataType.INT64, new long[0], InputSpec.SHARED,
                                                List.of(16000.0))),
                                List.of(new OutputSpec("output", 0))), ok,
                        List.of(List.of("model outputs [stateN] are missing from the catalog"))),
                Arguments.of("wrong output name", vad(64),
                        new ModelSignature(ok.inputs(), List.of(sig("output", DataType.FP32, ANY, 1),
                                sig("hn", DataType.FP32, 2, ANY, 128))),
                        List.of(List.of("catalog outputs [stateN] do not exist in the model"),
                                List.of("model outputs [hn] are missing from the catalog"))),
                Arguments.of("datatype mismatch", vad(64), withInput(ok, sig("sr", DataType.INT32)),
                        List.of(List.of("input 'sr'", "catalog says INT64, the model takes INT32"))),
                Arguments.of("rank mismatch", vad(64), withInput(ok, sig("state", DataType.FP32, ANY, 128)),
                        List.of(List.of("input 'state'", "has rank 3", "has rank 2"))),
                Arguments.of("rank mismatch of a scalar", vad(64), withInput(ok, sig("sr", DataType.INT64, 1)),
                        List.of(List.of("input 'sr'", "has rank 0", "has rank 1"))),
                Arguments.of("fixed dim contradiction", vad(64), withInput(ok, sig("input", DataType.FP32, ANY, 256)),
                        List.of(List.of("input 'input'", "contradicts the model's [-1, 256] at dim 1"))),
                Arguments.of("fixed batch dim while batching", vad(64), withInput(ok, sig("input", DataType.FP32, 1, 512)),
                        List.of(List.of("input 'input'", "batches it on axis 0", "fixes that dim to 1",
                                "maxBatchSize: 1"))),
                Arguments.of("fixed batch dim on axis 1 while batching", vad(8),
                        withInput(ok, sig("state", DataType.FP32, 2, 1, 128)),
                        List.of(List.of("input 'state'", "batches it on axis 1", "fixes that dim to 1"))),
                Arguments.of("output batch axis outside rank", spec(64, vad(64).inputs(),
                                List.of(new OutputSpec("output", 2), new OutputSpec("stateN", 1))), ok,
                        List.of(List.of("output 'output'", "batch axis 2 is outside its rank 2"))),
                Arguments.of("negative output batch axis", spec(64, vad(64).inputs(),
                                List.of(new OutputSpec("output", -1), new OutputSpec("stateN", 1))), ok,
                        List.of(List.of("output 'output'", "batch axis -1 is outside its rank 2"))),
                Arguments.of("fixed output batch dim while batching", vad(64),
                        withOutput(ok, sig("stateN", DataType.FP32, 2, 1, 128)),
                        List.of(List.of("output 'stateN'", "batch axis 1 has fixed size 1", "catalog batches it"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contradictions")
    void contradictionsAreReported(String label, ModelSpec spec, ModelSignature signature,
            List<List<String>> expected) {
        List<String> problems = CatalogConformance.problems(spec, signature);

        assertEquals(expected.size(), problems.size(), "problems: " + problems);
        for (int i = 0; i < expected.size(); i++) {
            for (String phrase : expected.get(i)) {
                assertTrue(problems.get(i).contains(phrase), "'" + problems.get(i) + "' should contain '" + phrase + "'");
            }
        }
    }

    @Test
    void fixedBatchDimsAreFineWhenTheEntryIsNotBatched() {
        ModelSignature fixed = withOutput(withInput(withInput(vadSignature(),
                sig("input", DataType.FP32, 1, 512)), sig("state", DataType.FP32, 2, 1, 128)),
                sig("stateN", DataType.FP32, 2, 1, 128));
        assertEquals(List.of(), CatalogConformance.problems(vad(1), fixed));
        assertEquals(3, CatalogConformance.problems(vad(2), fixed).size());
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        ModelSignature bad = withOutput(withInput(withInput(vadSignature(),
                sig("sr", DataType.FP32)), sig("input", DataType.FP32, ANY, 256)),
                sig("output", DataType.FP32));
        List<String> problems = CatalogConformance.problems(vad(64), bad);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("input 'sr'")));
        assertTrue(problems.stream().anyMatch(p -> p.contains("input 'input'")));
        assertTrue(problems.stream().anyMatch(p -> p.contains("output 'output'") && p.contains("rank 0")));
    }
}
