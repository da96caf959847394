package dev.stratus.dataplane.worker.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;

/**
 * Adds the CUDA execution provider when the runtime was built with it (the {@code -Pgpu} build) and a GPU
 * answers; CPU builds and GPU-less machines fall back to the CPU provider silently.
 */
final class CudaSupport {
    private CudaSupport() {
    }

    /** Whether sessions will use CUDA: a CUDA build, and not forced onto the CPU. */
    static boolean available() {
        return !Boolean.getBoolean("stratus.cpu-only")
                && OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    static boolean addIfAvailable(OrtSession.SessionOptions options) {
        if (!available()) {
            return false;
        }
        try {
            options.addCUDA(0);
            return true;
        } catch (OrtException e) {
            return false;
        }
    }
}
