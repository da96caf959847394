package dev.stratus.dataplane.worker.runtime;

import dev.stratus.core.model.BatchingPolicy;
import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.ModelState;
import dev.stratus.core.port.InferenceEngineFactory;
import java.time.Duration;

/**
 * Checks a model outside a worker, the way a worker would serve it: finds the file, loads it, decides its entry
 * (catalog or inferred) and runs it once at batch 1. {@code stratus models add} and the control service's
 * repository scan check models with it before anything is written or planned: one code path, so that what passes
 * here is what a worker serves.
 */
public final class ModelInspection {
    private ModelInspection() {
    }

    /** What the model is served as: its entry, how it batches, and what ONNX Runtime read from it. */
    public record Result(ModelSpec spec, String batching, ModelSignature signature) {
    }

    /**
     * @throws IllegalArgumentException with the one-line reason (naming the file) when the model cannot be served
     */
    public static Result inspect(ModelEntry entry, InferenceEngineFactory engines) {
        try (ModelRuntime runtime = new ModelRuntime(entry, engines, spec -> new BatchingPolicy(1, Duration.ZERO, 1),
                0, 1, WorkerMetrics.NONE, System::nanoTime)) {
            runtime.start();
            if (runtime.state() != ModelState.READY) {
                throw new IllegalArgumentException(runtime.failure(), runtime.failureCause());
            }
            return new Result(runtime.spec(), runtime.batching(), runtime.signature());
        }
    }
}
