package dev.stratus.dataplane.worker.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.core.port.InferenceEngineFactory;
import dev.stratus.core.port.InferenceException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates ONNX Runtime sessions: full graph optimisation, bounded intra-op threads, CUDA when built with it. */
public final class OnnxEngineFactory implements InferenceEngineFactory {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
            "stratus");

    @Override
    public InferenceEngine load(ModelSpec spec, Path modelFile, int intraOpThreads) throws InferenceException {
        if (!Files.isRegularFile(modelFile)) {
            throw new InferenceException("model '" + spec.name() + "': file " + modelFile
                    + " not found (run ./stratus models fetch)");
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            // One batch runs at a time per session; parallelism comes from intra-op threads.
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            CudaSupport.addIfAvailable(options);
            OrtSession session = env.createSession(modelFile.toString(), options);
            return new OnnxEngine(spec.name(), env, session);
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException("model '" + spec.name() + "' failed to load from " + modelFile + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String runtimeVersion() {
        return "onnxruntime " + env.getVersion();
    }
}
