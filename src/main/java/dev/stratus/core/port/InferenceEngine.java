package dev.stratus.core.port;

import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.Tensor;
import java.util.Map;
import java.util.Set;

/** One loaded model in an inference runtime. Implementations must allow concurrent {@link #infer} calls. */
public interface InferenceEngine extends AutoCloseable {

    /** Inputs and outputs as the runtime itself declares them. */
    ModelSignature signature();

    /**
     * Runs the model once.
     *
     * @param inputs  every input of the model, by name
     * @param outputs names of the outputs wanted; empty means all
     * @return the requested outputs, by name
     */
    Map<String, Tensor> infer(Map<String, Tensor> inputs, Set<String> outputs) throws InferenceException;

    /** Whether the session was created from an optimised-model file saved by an earlier load. */
    default boolean loadedFromOptimizedCache() {
        return false;
    }

    @Override
    void close();
}
