package dev.stratus.catalog;

import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model file found and checked, ready to load: where it is, its source with the checksum the file has, and the
 * catalog entry that describes it, if any (else the entry is inferred from the model's metadata).
 *
 * @param origin where the entry came from ({@link ModelCatalog#SAMPLES}, {@link UserCatalog#ORIGIN}, a catalog
 *               file), or empty without one
 */
public record LocatedModel(Path file, ModelSource source, Optional<ModelSpec> entry, String origin) {
}
