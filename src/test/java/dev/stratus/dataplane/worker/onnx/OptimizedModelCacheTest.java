package dev.stratus.dataplane.worker.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.testing.SampleModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimised-model cache with real ONNX Runtime on a sample model: each cached file is written with its
 * SHA-256 beside it and used only when it still matches; a tampered, truncated or unrecorded file is deleted and
 * rebuilt from the original model, and the model answers as before.
 */
class OptimizedModelCacheTest {
    @TempDir
    Path cache;

    final ModelSpec spec = SampleModels.spec("ocr-cls");
    final Path model = SampleModels.file("ocr-cls");
    final Map<String, Tensor> inputs = SampleInputs.of(spec, 1, 11);

    private Path cachedFile() throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            List<Path> onnx = files.filter(f -> f.toString().endsWith(".onnx")).toList();
            assertEquals(1, onnx.size(), onnx.toString());
            return onnx.get(0);
        }
    }

    private LoadResult load() throws Exception {
        try (InferenceEngine engine = new OnnxEngineFactory(Optional.of(cache)).load(spec, model, 1)) {
            boolean cached = engine.loadedFromOptimizedCache();
            Tensor out = engine.infer(inputs, java.util.Set.of()).values().iterator().next();
            byte[] bytes = new byte[out.byteSize()];
            out.data().get(bytes);
            return new LoadResult(cached, bytes);
        }
    }

    private record LoadResult(boolean fromCache, byte[] output) {
    }

    @Test
    void aCachedFileIsRecordedAndReusedWhileItMatches() throws Exception {
        LoadResult first = load();
        assertFalse(first.fromCache());
        Path file = cachedFile();
        String recorded = Files.readString(VerifiedCacheFile.sidecar(file), StandardCharsets.UTF_8);
        assertEquals(VerifiedCacheFile.hex(Files.readAllBytes(file)) + "  " + file.getFileName() + "\n", recorded);
        LoadResult second = load();
        assertTrue(second.fromCache(), "a matching file is used");
        assertArrayEquals(first.output(), second.output());
    }

    @Test
    void aTamperedFileIsDeletedAndRebuilt() throws Exception {
        LoadResult first = load();
        Path file = cachedFile();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a; // one flipped byte somewhere in the weights
        Files.write(file, bytes);
        LoadResult after = load();
        assertFalse(after.fromCache(), "the tampered file is not loaded");
        assertArrayEquals(first.output(), after.output(), "the model answers as before, from the original");
        Path rebuilt = cachedFile();
        assertTrue(VerifiedCacheFile.read(rebuilt).isPresent(), "rebuilt with a matching digest");
        assertTrue(load().fromCache(), "and used again");
    }

    @Test
    void aTruncatedOrUnrecordedFileIsRebuilt() throws Exception {
        load();
        Path file = cachedFile();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertFalse(load().fromCache(), "a file cut short is not loaded");
        Files.delete(VerifiedCacheFile.sidecar(cachedFile()));
        assertFalse(load().fromCache(), "a file without its digest is not loaded");
        assertTrue(load().fromCache(), "after which it is recorded again");
    }
}
