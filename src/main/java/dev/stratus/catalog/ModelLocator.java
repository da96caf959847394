package dev.stratus.catalog;

import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a model's file and the catalog entry that applies to it. A catalog model is found in the cache (or at its
 * local path) and checked against its checksum. A file of a model repository gets the entry of the same name
 * when the user wrote one (their own catalog or {@code --catalog}), else the entry of any catalog whose checksum
 * is the file's (a copy of a known model keeps its shared inputs and warm-up values under its new name), else none:
 * its entry is then inferred from the model's metadata.
 */
public final class ModelLocator {
    private final ModelCatalog catalog;
    private final ModelCache cache;

    public ModelLocator(ModelCatalog catalog, ModelCache cache) {
        this.catalog = catalog;
        this.cache = cache;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    /** A catalog model by name, its file checked; throws naming the file or telling how to fetch it. */
    public LocatedModel catalogModel(String name) {
        ModelSpec spec = catalog.require(name);
        Path file = cache.require(spec);
        ModelSource source = spec.source().sha256() != null ? spec.source()
                : ModelSource.file(file, ModelCache.sha256(file));
        return new LocatedModel(file, source, Optional.of(spec), catalog.origin(name));
    }

    /** A model file outside the catalog (a repository version), with the entry that applies to it, if any. */
    public LocatedModel file(String name, Path file) {
        return located(name, file, ModelSource.file(file, null));
    }

    /**
     * A model file that came from {@code source} (a local file, or a download staged at {@code file}), with the
     * entry that applies to it, if any; the checksum is the source's (verified) or, for a local file without one,
     * the file's.
     */
    public LocatedModel located(String name, Path file, ModelSource source) {
        String sha = source.sha256() != null ? source.sha256() : ModelCache.sha256(file);
        ModelSource checked = source.sha256() != null ? source : new ModelSource(source.uri(), sha);
        Optional<ModelSpec> named = catalog.find(name).filter(m -> !ModelCatalog.SAMPLES.equals(catalog.origin(name)));
        if (named.isPresent()) {
            return new LocatedModel(file, checked, named, catalog.origin(name));
        }
        Optional<ModelSpec> same = catalog.findBySha256(sha);
        return new LocatedModel(file, checked, same, same.map(m -> "entry '" + m.name() + "' of "
                + catalog.origin(m.name()) + ", same sha256").orElse(""));
    }
}
