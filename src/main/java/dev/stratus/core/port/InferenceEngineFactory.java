package dev.stratus.core.port;

import dev.stratus.core.model.ModelSpec;
import java.nio.file.Path;

/** Loads model files into an inference runtime. */
public interface InferenceEngineFactory {

    /**
     * @param intraOpThreads threads one execution may use; 0 lets the runtime decide
     */
    InferenceEngine load(ModelSpec spec, Path modelFile, int intraOpThreads) throws InferenceException;

    /** Name and version of the runtime, for metadata and provenance. */
    String runtimeVersion();
}
