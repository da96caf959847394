package dev.stratus.dataplane.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.catalog.LocatedModel;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.ModelLocator;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.worker.onnx.OnnxEngineFactory;
import dev.stratus.testing.OnnxFiles;
import dev.stratus.testing.SampleModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models nobody wrote an entry for, checked the way a worker serves them (real ONNX Runtime): entries inferred
 * from the metadata, copies of known models recognised by checksum, and every kind of bad file refused with one
 * line that names the file and the problem.
 */
class ModelEntryOnRealModelsTest {
    static final Map<String, long[]> CLS_SHAPE = Map.of("x", new long[] {1, 3, 48, 192});

    @TempDir
    static Path dir;
    static ModelLocator locator;

    @BeforeAll
    static void models() {
        SampleModels.ensureFetched();
        locator = new ModelLocator(ModelCatalog.bundled(), new ModelCache(dir.resolve("cache")));
    }

    static ModelInspection.Result inspect(String name, Path file, Map<String, long[]> shapes) {
        return ModelInspection.inspect(ModelEntry.single(name, "1", () -> locator.file(name, file), shapes),
                new OnnxEngineFactory());
    }

    @Test
    void aCopyOfASampleModelKeepsTheSampleEntryUnderItsNewName() throws IOException {
        Path copy = OnnxFiles.copy(SampleModels.file("vad"), dir.resolve("repo/my-vad/1/model.onnx"));
        ModelInspection.Result r = inspect("my-vad", copy, Map.of());
        assertEquals("my-vad", r.spec().name());
        assertEquals("file:" + copy.toAbsolutePath(), r.spec().source().uri());
        assertEquals(SampleModels.spec("vad").source().sha256(), r.spec().source().sha256());
        assertEquals(InputSpec.SHARED, r.spec().input("sr").orElseThrow().batchAxis(), "sample rate stays shared");
        assertEquals(64, r.spec().maxBatchSize());
        assertTrue(r.batching().contains("as the catalog says (entry 'vad' of samples, same sha256)"), r.batching());
    }

    @Test
    void anUnknownModelIsInferredAndAnswersLikeTheOriginal() throws Exception {
        Path original = SampleModels.file("ocr-cls");
        Path variant = OnnxFiles.withModelVersion(original, dir.resolve("variant/model.onnx"), 2);
        assertFalse(ModelCache.sha256(original).equals(ModelCache.sha256(variant)));
        ModelInspection.Result r = inspect("my-classifier", variant, CLS_SHAPE);
        assertEquals(64, r.spec().maxBatchSize());
        assertEquals(0, r.spec().input("x").orElseThrow().batchAxis());
        assertTrue(r.batching().startsWith("batched on the leading dimension"), r.batching());
        assertEquals(ModelCache.sha256(variant), r.spec().source().sha256(), "a local file's checksum is recorded");

        // Served through a runtime at batch 4: the same outputs as ONNX Runtime gives on the original file.
        OnnxEngineFactory engines = new OnnxEngineFactory();
        Map<String, Tensor> inputs = SampleInputs.of(r.spec(), 4, 11);
        try (var expected = engines.load(SampleModels.spec("ocr-cls"), original, 1);
                var actual = engines.load(r.spec(), variant, 1)) {
            Tensor want = expected.infer(inputs, Set.of()).values().iterator().next();
            Tensor got = actual.infer(inputs, Set.of()).values().iterator().next();
            BatchingOnRealModelsTest.assertClose(want, got, "variant vs original");
        }
    }

    @Test
    void aTinyIdentityModelNeedsNoConfigurationAtAll() throws IOException {
        Path file = OnnxFiles.identity(dir.resolve("identity/model.onnx"), OnnxFiles.FLOAT, -1, 4);
        ModelInspection.Result r = inspect("identity", file, Map.of());
        assertEquals(List.of("x"), r.spec().inputs().stream().map(InputSpec::name).toList());
        assertEquals(64, r.spec().maxBatchSize());
        Path fixed = OnnxFiles.identity(dir.resolve("fixed/model.onnx"), OnnxFiles.FLOAT, 1, 4);
        ModelInspection.Result one = inspect("fixed", fixed, Map.of());
        assertEquals(1, one.spec().maxBatchSize());
        assertTrue(one.batching().contains("input 'x' has a fixed leading dimension of 1"), one.batching());
    }

    static Stream<Arguments> badFiles() throws IOException {
        Path cls = SampleModels.file("ocr-cls");
        return Stream.of(
                // label, file, warm-up shapes, phrases of the one-line reason
                Arguments.of("not ONNX", write("text.onnx", "this is a README, not a model\n"), Map.of(),
                        List.of("not an ONNX model")),
                Arguments.of("truncated", OnnxFiles.truncated(cls, dir.resolve("cut.onnx"), 20_000), Map.of(),
                        List.of("a damaged or truncated ONNX model (20000 bytes")),
                Arguments.of("empty", write("empty.onnx", ""), Map.of(), List.of("an empty file")),
                Arguments.of("strings", OnnxFiles.identity(dir.resolve("strings.onnx"), OnnxFiles.STRING, -1),
                        Map.of(), List.of("input 'x' has datatype BYTES (strings)")),
                Arguments.of("missing warm-up shape",
                        OnnxFiles.withModelVersion(cls, dir.resolve("needs-shape.onnx"), 3), Map.of(),
                        List.of("input 'x'", "dimensions 2 and 3", "--input-shape x=1,3,H,W")),
                Arguments.of("warm-up shape for another input",
                        OnnxFiles.withModelVersion(cls, dir.resolve("wrong-name.onnx"), 4),
                        Map.of("image", new long[] {1, 3, 48, 192}), List.of("[image]", "does not have")),
                Arguments.of("no such file", dir.resolve("nowhere.onnx"), Map.of(), List.of("no such file")));
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badFiles")
    void badFilesAreRefusedWithOneLineNamingTheFile(String label, Path file, Map<String, long[]> shapes,
            List<String> phrases) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inspect("bad", file, shapes));
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), "names the file first: " + message);
        assertEquals(1, message.lines().count(), "one line: " + message);
        for (String phrase : phrases) {
            assertTrue(message.contains(phrase), "'" + message + "' should contain '" + phrase + "'");
        }
    }

    @Test
    void aLocalFileThatChangedSinceItWasAddedIsRefused() throws IOException {
        Path file = OnnxFiles.copy(SampleModels.file("wakeword"), dir.resolve("changed/model.onnx"));
        ModelSpec recorded = new ModelSpec("ww", "1", "", "", ModelSource.file(file, "0".repeat(64)),
                SampleModels.spec("wakeword").inputs(), SampleModels.spec("wakeword").outputs(), 1);
        ModelLocator withEntry = new ModelLocator(ModelCatalog.empty().with(recorded, "user"),
                new ModelCache(dir.resolve("cache")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelInspection.inspect(
                ModelEntry.of("ww", "1", () -> withEntry.catalogModel("ww"), Map.of(), List.of()),
                new OnnxEngineFactory()));
        assertTrue(e.getMessage().startsWith(file + ": sha256 is ") && e.getMessage().contains("not the 0000"),
                e.getMessage());
    }

    @Test
    void anEntryThatContradictsTheFileIsRefusedNamingTheContradiction() throws IOException {
        ModelSpec vad = SampleModels.spec("vad");
        Path file = SampleModels.file("wakeword");
        LocatedModel wrong = new LocatedModel(file, ModelSource.file(file, null), Optional.of(vad), "user");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelInspection.inspect(
                ModelEntry.of("ww", "1", () -> wrong, Map.of(), List.of()), new OnnxEngineFactory()));
        assertTrue(e.getMessage().contains("the catalog entry (user) contradicts the model"), e.getMessage());
    }
}
