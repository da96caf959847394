package dev.stratus.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalDouble;

/**
 * Configuration of a Stratus process. Every CLI flag of {@code stratus worker} maps to one of these, so the
 * same settings can come from flags, {@code application.properties} or environment variables
 * ({@code STRATUS_WORKER_MODELS=...}).
 */
@ConfigMapping(prefix = "stratus")
public interface StratusConfig {

    /**
     * Which role this process plays: none (CLI only), worker, controller (the control service with its gateway),
     * operator (the Kubernetes backend) or gateway (an in-cluster gateway).
     */
    @WithDefault("none")
    String role();

    Worker worker();

    Profiles profiles();

    Control control();

    Kubernetes kubernetes();

    /** Path of the built application, set by the launcher; used to start worker processes. */
    @WithName("app.jar")
    Optional<String> appJar();

    interface Control {
        /**
         * Run the control loop (plan, workers, autoscaler). Off serves only the admin API's profile endpoints,
         * e.g. for tests of that API.
         */
        @WithDefault("true")
        boolean enabled();

        /** Directory of AcceleratorPool / InferenceModel / InferencePipeline documents to serve. */
        @WithDefault("examples/local")
        String config();

        /** Control loop period in milliseconds. */
        @WithDefault("2000")
        long periodMs();

        /** Planning policy: stratus, or a baseline (static-peak, nexus, ...). */
        @WithDefault("stratus")
        String policy();

        /** Let the planner co-locate models on shared replicas (regrouping restarts processes). */
        @WithDefault("false")
        boolean colocation();

        /** Where worker logs go; a temporary directory when absent. */
        Optional<String> logs();

        /** Largest request body the gateway accepts, in bytes. */
        @WithDefault("67108864")
        long maxRequestBytes();

        /** Port of the gateway's Open Inference Protocol over gRPC; absent = no gRPC, 0 = a free port. */
        OptionalInt grpcPort();
    }

    /** The operator and the in-cluster gateway. */
    interface Kubernetes {
        /** Namespace the operator watches and creates in; the client's (the pod's own) when absent. */
        Optional<String> namespace();

        /** The Stratus image the worker pods, model fetches and profiling Jobs run; stratus:<version> when absent. */
        Optional<String> image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        @WithDefault("stratus-worker")
        String workerServiceAccount();

        @WithDefault("stratus-profiler")
        String profilerServiceAccount();

        /** Elect a leader through a Lease so that only one operator replica acts (the chart turns it on). */
        @WithDefault("false")
        boolean leaderElection();

        /** Port of the gateways' traffic endpoint, read by the operator's control loop. */
        @WithDefault("8080")
        int gatewayPort();
    }

    interface Profiles {
        /** The profile store: {@code <dir>/<model>/<hardware-id>.yaml}. */
        @WithDefault("profiles")
        String dir();
    }

    interface Worker {
        /** Models to serve, by catalog name. */
        Optional<List<String>> models();

        /** Model catalog file; the bundled catalog when absent. */
        Optional<String> catalog();

        /** ONNX Runtime intra-op threads per model; 0 = one per core. */
        @WithDefault("0")
        int threads();

        /** Batches of one model that may execute at once. */
        @WithDefault("1")
        int instances();

        /** Default max batch size (clamped to each model's own maximum). */
        @WithDefault("8")
        int maxBatchSize();

        /** Default max queue delay in milliseconds. */
        @WithDefault("2")
        double maxQueueDelayMs();

        /** Default max queued items per model before requests are refused with 429. */
        @WithDefault("1024")
        int maxQueueSize();

        /** Largest request body accepted, in bytes (also the largest gRPC message). */
        @WithDefault("67108864")
        long maxRequestBytes();

        /** Port of the Open Inference Protocol over gRPC; absent = no gRPC, 0 = a free port. */
        OptionalInt grpcPort();

        /** How long a drain on SIGTERM may take, in milliseconds. */
        @WithDefault("30000")
        long drainTimeoutMs();

        /** Exit with status 1 when a model fails to load (set by {@code stratus worker}). */
        @WithDefault("false")
        boolean exitOnLoadFailure();

        /**
         * Directory for ONNX Runtime's optimised models (saved on first load, reused after); "none" disables it;
         * absent means {@code optimized/} in the model cache.
         */
        Optional<String> optimizedModelCache();

        /** Per-model overrides, keyed by model name. */
        Map<String, ModelOverride> model();
    }

    interface ModelOverride {
        OptionalInt maxBatchSize();

        OptionalDouble maxQueueDelayMs();

        OptionalInt maxQueueSize();
    }
}
