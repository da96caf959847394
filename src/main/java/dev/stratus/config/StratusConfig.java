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

    Profiling profiling();

    Control control();

    Kubernetes kubernetes();

    Security security();

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

        /** Per edge site, where its gateway listens ({@code HOST:PORT}); absent: a free port on 127.0.0.1. */
        Map<String, String> siteAddress();

        /**
         * Per edge site, the cloud gateway's URL as the site reaches it (e.g. through a delaying proxy that emulates
         * the round trip); absent: this process's own gateway.
         */
        Map<String, String> siteCloud();
        /** A model repository folder whose models are served (instead of the config's InferenceModels). */
        Optional<String> modelsDir();

        /** Warm-up shapes by input name for the repository's inferred models (as the worker's). */
        Map<String, String> inputShape();

        /** Pinned default versions of repository models, by model name. */
        Map<String, String> defaultVersion();

        /**
         * Where admin-API edits and the running workers are recorded to survive a restart; absent means
         * {@code .stratus-state/} inside the configuration directory.
         */
        Optional<String> state();

        /**
         * How long the workers of a control service that died (without stopping them) keep serving, waiting for a
         * restarted service to adopt them, before they drain and exit.
         */
        @WithDefault("60000")
        long orphanGraceMs();
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

        /** Publish the served models' SLO rules as a PrometheusRule (the chart's prometheusRule.enabled). */
        @WithDefault("false")
        boolean prometheusRule();

        /** Labels of that PrometheusRule, {@code key=value} each (what the Prometheus operator's ruleSelector matches). */
        Optional<List<String>> prometheusRuleLabels();

        /** Gateway role: the edge site whose worker pods this gateway routes (absent: the cloud gateway). */
        Optional<String> site();

        /** Gateway role at an edge site: the cloud gateway's URL, where it forwards what it cannot serve in time. */
        Optional<String> cloudUrl();

        /** Gateway role at an edge site: the planned round trip of a forward to the cloud, in milliseconds. */
        @WithDefault("0")
        double cloudRttMs();

        /** Operator: the service account of the edge sites' gateways (the release's gateway account). */
        @WithDefault("stratus-gateway")
        String gatewayServiceAccount();

        /** Operator: the cloud gateway's URL (its Service), passed to every edge site's gateway. */
        Optional<String> gatewayUrl();

        /** Operator: the Secret with the tokens the edge sites' gateways get (the release's). */
        @WithDefault("stratus-tokens")
        String tokensSecret();

        /** Operator: the edge sites' gateways' resources, as JSON (the chart's gateway.resources). */
        Optional<String> gatewayResources();

        /** Operator: type and port of each edge site's gateway Service (the chart's gateway.service). */
        @WithDefault("ClusterIP")
        String gatewayServiceType();

        @WithDefault("80")
        int gatewayServicePort();
    }

    /** Who may use the admin API (and, per model, inference through the gateway); docs/security.md. */
    interface Security {
        /**
         * Token file, one {@code ROLE TOKEN} per line; {@code $XDG_CONFIG_HOME/stratus/tokens} or
         * {@code ~/.config/stratus/tokens} when absent (generated there on first start on loopback).
         */
        Optional<String> tokensFile();

        /** An admin token given directly, e.g. from a Kubernetes Secret as STRATUS_SECURITY_ADMIN_TOKEN. */
        Optional<String> adminToken();

        /** A viewer token given directly (STRATUS_SECURITY_VIEWER_TOKEN). */
        Optional<String> viewerToken();

        /** Largest admin API request body, in bytes. */
        @WithDefault("1048576")
        long maxAdminBodyBytes();
    }

    interface Profiles {
        /** The profile store: {@code <dir>/<model>/<hardware-id>.yaml}. */
        @WithDefault("profiles")
        String dir();
    }

    /** Bounds on profiling jobs submitted through the admin API (docs/security.md lists them all). */
    interface Profiling {
        /** Jobs queued or running at once; more are refused with 429. */
        @WithDefault("4")
        int maxQueuedJobs();

        /** Elements of one input tensor at the largest batch a job measures. */
        @WithDefault("33554432")
        long maxInputElements();

        /** Longest measurement window a job may ask for, in ms. */
        @WithDefault("60000")
        int maxWindowMs();

        /** Most measurement windows per batch size a job may ask for. */
        @WithDefault("50")
        int maxWindows();

        /** Batch sizes x windows x window length a job may ask for, in seconds; stopped after twice this. */
        @WithDefault("1800")
        long maxJobSeconds();
    }

    interface Worker {
        /** Models to serve, by name (catalog or repository); all of the repository's when absent. */
        Optional<List<String>> models();

        /** Model catalog file; the bundled catalog when absent. */
        Optional<String> catalog();

        /** A model repository folder ({@code <dir>/<model>/<version>/model.onnx}) whose models are served. */
        Optional<String> modelsDir();

        /**
         * Warm-up shapes (one item, batch dim 1) by input name, for models whose entry is inferred and whose inputs
         * have dynamic dims besides the batch: {@code stratus.worker.input-shape."x"=1,3,48,192}.
         */
        Map<String, String> inputShape();

        /** Pinned default versions by model name; unpinned models default to their highest READY version. */
        Map<String, String> defaultVersion();

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

        /**
         * Largest request body accepted, in bytes (after decoding a gzip or deflate body); also the largest gRPC
         * message.
         */
        @WithDefault("67108864")
        long maxRequestBytes();

        /**
         * Inference answers with at least this many tensor bytes are compressed when the client accepts gzip or
         * deflate; smaller ones never are (compressing costs more latency than it saves on them).
         */
        @WithDefault("65536")
        int compressMinBytes();

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
