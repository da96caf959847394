package dev.stratus.testing;

import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.ModelFetcher;
import dev.stratus.core.model.ModelSpec;
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
            new ModelFetcher(cache, Map.of(), System.out).fetch(ModelCatalog.bundled().models());
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
}
