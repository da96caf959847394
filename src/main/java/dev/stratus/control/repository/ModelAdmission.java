package dev.stratus.control.repository;

import dev.stratus.catalog.LocatedModel;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.ModelFetcher;
import dev.stratus.catalog.ModelLocator;
import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.dataplane.worker.onnx.OnnxEngineFactory;
import dev.stratus.dataplane.worker.runtime.ModelEntry;
import dev.stratus.dataplane.worker.runtime.ModelInspection;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * A model from any source taken in the way a worker will serve it: fetched and checked against its sha256 (a local
 * file is used in place), loaded and inspected with ONNX Runtime (its entry: the catalog's, else inferred), and only
 * then is a download published into the model cache. {@code stratus models add} and the control service's
 * documents with a {@code spec.source} both come through here, so a model is refused for the same reasons in both.
 */
public final class ModelAdmission {
    private ModelAdmission() {
    }

    /**
     * @param catalog  the entries that may describe the file (by name, or by checksum for a copy of a known model)
     * @param shapes   warm-up shapes of one item, for inputs with dynamic dimensions besides the batch
     * @throws IllegalArgumentException when the file cannot be served (named, with the reason); nothing is stored
     * @throws dev.stratus.catalog.CatalogException when it cannot be fetched or its checksum does not match
     */
    public static ModelInspection.Result admit(String name, String version, ModelSource source,
            Map<String, long[]> shapes, ModelCatalog catalog, ModelCache cache, PrintStream progress) {
        ModelSpec provisional = new ModelSpec(name, version, "", "", source, List.of(), List.of(), 1);
        try (ModelFetcher.Staged staged = new ModelFetcher(cache, Map.of(), progress).stage(provisional)) {
            ModelSource checked = new ModelSource(source.uri(), staged.sha256());
            LocatedModel located = new ModelLocator(catalog, cache).located(name, staged.file(), checked);
            ModelInspection.Result result = ModelInspection.inspect(ModelEntry.single(name, version, () -> located,
                    shapes), new OnnxEngineFactory());
            staged.publish();
            return result;
        }
    }
}
