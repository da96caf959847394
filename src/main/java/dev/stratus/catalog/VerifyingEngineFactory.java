package dev.stratus.catalog;

import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.core.port.InferenceEngineFactory;
import dev.stratus.core.port.InferenceException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks each model file against the catalog's sha256 as part of loading it, so that a damaged or substituted
 * file fails that model's load (the model is refused with the reason, the others are served) rather than the
 * whole process before it can answer health checks.
 */
public final class VerifyingEngineFactory implements InferenceEngineFactory {
    private final InferenceEngineFactory engines;

    public VerifyingEngineFactory(InferenceEngineFactory engines) {
        this.engines = engines;
    }

    @Override
    public InferenceEngine load(ModelSpec spec, Path modelFile, int intraOpThreads) throws InferenceException {
        if (Files.isRegularFile(modelFile)) { // a missing file is the engine's to report
            try {
                ModelCache.verify(spec, modelFile);
            } catch (CatalogException e) {
                throw new InferenceException(e.getMessage(), e);
            }
        }
        return engines.load(spec, modelFile, intraOpThreads);
    }

    @Override
    public String runtimeVersion() {
        return engines.runtimeVersion();
    }
}
