package dev.stratus.operator;

import dev.stratus.host.Versions;

/**
 * How the operator shapes what it creates: the Stratus image (the worker, the model fetch and the profiler all
 * run it, with the role as first argument), its pull policy, the service accounts, and the worker's drain time.
 */
public record WorkloadSettings(String namespace, String image, String imagePullPolicy, String workerServiceAccount,
        String profilerServiceAccount, int drainSeconds) {
    public static final int WORKER_PORT = 8080;
    public static final String MODELS_DIR = "/models";

    /** The image built from this source tree ({@code stratus:<version>}) in {@code namespace}. */
    public static WorkloadSettings defaults(String namespace) {
        return new WorkloadSettings(namespace, "stratus:" + Versions.stratus(), "IfNotPresent", "stratus-worker",
                "stratus-profiler", 30);
    }
}
