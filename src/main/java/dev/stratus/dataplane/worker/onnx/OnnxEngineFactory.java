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
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
            "stratus");

    private final boolean spinBetweenRuns;

    /**
     * Engines whose intra-op threads stop spinning when a run ends: the right choice when other work (HTTP,
     * batching) shares the cores.
     */
    public OnnxEngineFactory() {
        this(false);
    }

    /**
     * @param spinBetweenRuns keep intra-op threads busy-waiting after a run too (ONNX Runtime's default; best
     *                        for a caller that has the cores to itself)
     */
    public OnnxEngineFactory(boolean spinBetweenRuns) {
        this.spinBetweenRuns = spinBetweenRuns;
    }

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
            if (!spinBetweenRuns) {
                // Intra-op threads spin between the operators of a run (fast), but stop when the run ends: busy
                // waiting between batches would take the cores that the HTTP threads need.
                options.addConfigEntry("session.force_spinning_stop", "1");
            }
            CudaSupport.addIfAvailable(options);
            OrtSession session = ENV.createSession(modelFile.toString(), options);
            return new OnnxEngine(spec.name(), ENV, session);
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException("model '" + spec.name() + "' failed to load from " + modelFile + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String runtimeVersion() {
        return "onnxruntime " + ENV.getVersion();
    }
}
