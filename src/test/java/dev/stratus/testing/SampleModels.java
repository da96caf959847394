package dev.stratus.testing;

import dev.stratus.catalog.ModelAsset;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.ModelFetcher;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.dataplane.pipeline.ocr.CharacterDictionary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Makes sure the real sample models are in the model cache (fetching them once if needed) for tests. */
public final class SampleModels {
    private static volatile boolean fetched;

    private SampleModels() {
    }

    public static synchronized ModelCache ensureFetched() {
        ModelCache cache = ModelCache.fromEnvironment();
        if (!fetched) {
            ModelFetcher fetcher = new ModelFetcher(cache, Map.of(), System.out);
            fetcher.fetch(ModelCatalog.bundled().models());
            fetcher.fetchAssets(ModelAsset.bundled());
            fetched = true;
        }
        return cache;
    }

    public static ModelSpec spec(String name) {
        return ModelCatalog.bundled().require(name);
    }

    public static Path file(String name) {
        return ensureFetched().require(spec(name));
    }

    /** The OCR recogniser's character dictionary, from the model cache (fetched with the models). */
    public static CharacterDictionary ocrDictionary() {
        try {
            return CharacterDictionary.parse(Files.readString(ensureFetched().require(
                    ModelAsset.find(ModelAsset.PPOCR_KEYS).orElseThrow()), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of the bundled catalog in {@code dir} whose ocr-cls input is named {@code image} where the model's is
     * {@code x}: a worker serving ocr-cls from it fails to load the model and exits with status 1.
     */
    public static Path contradictingCatalog(Path dir) throws java.io.IOException {
        String bundled;
        try (var in = SampleModels.class.getResourceAsStream("/catalog/models.yaml")) {
            bundled = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String broken = bundled.replace("{ name: x, datatype: FP32, shape: [1, 3, 48, 192]",
                "{ name: image, datatype: FP32, shape: [1, 3, 48, 192]");
        if (broken.equals(bundled)) {
            throw new IllegalStateException("the bundled catalog changed: ocr-cls's input line not found");
        }
        return java.nio.file.Files.writeString(dir.resolve("bad-catalog.yaml"), broken);
    }
}
