package dev.stratus.dataplane.worker.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.testing.SampleModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optimised-model cache on the real runtime: used when it can be, never a reason for a model not to load. */
class OnnxEngineFactoryTest {
    @TempDir
    Path tmp;

    @Test
    void aCacheThatCannotBeWrittenLoadsTheModelWithoutSaving() throws Exception {
        // A directory under a regular file can never be created (whoever runs the test, root included), as a
        // read-only model volume in a container cannot be written.
        Path blocked = Files.writeString(tmp.resolve("not-a-directory"), "x").resolve("optimized");
        ModelSpec spec = SampleModels.spec("ocr-cls");
        try (InferenceEngine engine = new OnnxEngineFactory(Optional.of(blocked)).load(spec,
                SampleModels.file("ocr-cls"), 1)) {
            assertFalse(engine.loadedFromOptimizedCache());
            assertEquals(1, engine.infer(SampleInputs.of(spec, 1, 1), Set.of()).size());
        }
        assertFalse(Files.exists(blocked));
    }

    @Test
    void aWritableCacheIsFilledOnceAndLoadedFromAfter() throws Exception {
        Path cache = tmp.resolve("optimized");
        ModelSpec spec = SampleModels.spec("ocr-cls");
        OnnxEngineFactory factory = new OnnxEngineFactory(Optional.of(cache));
        try (InferenceEngine first = factory.load(spec, SampleModels.file("ocr-cls"), 1)) {
            assertFalse(first.loadedFromOptimizedCache());
        }
        try (var files = Files.list(cache)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".onnx")).count(), "one optimised model saved");
        }
        try (InferenceEngine second = factory.load(spec, SampleModels.file("ocr-cls"), 1)) {
            assertTrue(second.loadedFromOptimizedCache());
        }
    }
}
