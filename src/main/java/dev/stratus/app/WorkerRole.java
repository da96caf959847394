package dev.stratus.app;

import dev.stratus.app.security.AccessControl;
import dev.stratus.catalog.InputShapes;
import dev.stratus.catalog.ModelCache;
import dev.stratus.config.StratusConfig;
import dev.stratus.core.model.BatchingPolicy;
import dev.stratus.core.model.ModelState;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.port.InferenceEngineFactory;
import dev.stratus.dataplane.grpc.GrpcEndpoint;
import dev.stratus.dataplane.worker.grpc.WorkerGrpcApi;
import dev.stratus.dataplane.worker.http.RepositoryHttpApi;
import dev.stratus.dataplane.worker.http.WorkerHttpApi;
import dev.stratus.dataplane.worker.onnx.OnnxEngineFactory;
import dev.stratus.dataplane.worker.runtime.ModelRuntime;
import dev.stratus.dataplane.worker.runtime.ServedModel;
import dev.stratus.dataplane.worker.runtime.WorkerInference;
import dev.stratus.dataplane.worker.runtime.WorkerModels;
import dev.stratus.dataplane.worker.runtime.WorkerRuntime;
import dev.stratus.host.Versions;
import dev.stratus.metrics.MicrometerWorkerMetrics;
import dev.stratus.security.RepositoryTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the worker role: reads the configuration, builds one {@link ModelRuntime} per configured model,
 * mounts the inference API and starts loading; drains on shutdown.
 */
@ApplicationScoped
public class WorkerRole {
    private static final Logger LOG = Logger.getLogger(WorkerRole.class);
    /** Set by {@code stratus worker}: when no model at all can be served, the process ends (exit 1). */
    public static final String EXIT_ON_FAILURE = "stratus.worker.exit-on-load-failure";

    @Inject
    StratusConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    AccessControl access;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0")
    String host;

    private volatile WorkerRuntime runtime;
    private volatile WorkerInference inference;
    private volatile GrpcEndpoint grpc;
    private volatile int exitCode;

    void mount(@Observes Router router) {
        if (!"worker".equals(config.role())) {
            return;
        }
        StratusConfig.Worker cfg = config.worker();
        InferenceEngineFactory engines = new OnnxEngineFactory(optimizedModelCache(cfg, ModelCache.fromEnvironment()));
        MicrometerWorkerMetrics metrics = new MicrometerWorkerMetrics(registry);
        WorkerModels models = WorkerModels.of(selection(cfg), entry -> new ModelRuntime(entry, engines,
                spec -> policyFor(spec, cfg), cfg.threads(), cfg.instances(), metrics, System::nanoTime));
        models.problems().forEach(p -> LOG.errorf("%s", p));
        runtime = new WorkerRuntime(models.served(), metrics, models, models.required());
        inference = new WorkerInference(runtime, metrics);
        new WorkerHttpApi(inference, cfg.maxRequestBytes(), cfg.compressMinBytes(), Versions.stratus()).mount(router);
        new RepositoryHttpApi(runtime, new RepositoryTokens(access::tokens)).mount(router);
        LOG.infof("worker serving %s (%s)", models.served().stream().map(m -> m.name() + " " + m.versionNames())
                .toList(), engines.runtimeVersion());
    }

    /**
     * Loading starts once the HTTP server answers, so that a cold start splits cleanly into process start,
     * session creation, first inference and warm-up (the profiler measures each), and liveness is up at once.
     * A model that cannot be served is reported on one line and the others serve. {@code stratus worker} exits
     * with status 1 when the worker can never be ready: a model asked for by name failed, or none at all serves
     * ({@code --no-exit-on-load-failure} keeps it up, not ready, as a container under a readiness probe wants).
     */
    void load(@Observes StartupEvent event) {
        WorkerRuntime runtime = this.runtime;
        if (runtime == null) {
            return;
        }
        runtime.httpUp(System.currentTimeMillis());
        boolean exitOnFailure = config.worker().exitOnLoadFailure();
        runtime.startAsync(() -> {
            List<String> failed = runtime.failedRequired();
            if (runtime.nothingServes() || !failed.isEmpty()) {
                LOG.errorf("%s (each reason is logged above)%s", failed.isEmpty() ? "no model could be served"
                        : "model(s) " + failed + " could not be served", exitOnFailure ? "; stopping" : "");
                if (exitOnFailure) {
                    exitCode = 1;
                    Quarkus.asyncExit(1);
                }
                return;
            }
            List<String> names = runtime.served().stream().filter(m -> m.state() == ModelState.READY)
                    .map(ServedModel::name).toList();
            LOG.infof("ready: %d model(s) warmed and serving on port %d. Try: %s", names.size(), port,
                    sampleRequest(names));
        });
        // After the load has started: binding gRPC (and loading its classes) overlaps the models' load instead of
        // delaying it, so that gRPC adds nothing to the time to ready.
        config.worker().grpcPort().ifPresent(this::startGrpc);
    }

    /**
     * The Open Inference Protocol over gRPC on its own port, on this process's Vert.x event loops, while the models
     * load (it answers ServerLive at once, like HTTP). Not started without a port, so that a worker that does not
     * speak gRPC pays nothing for it at start.
     */
    private void startGrpc(int grpcPort) {
        grpc = new WorkerGrpcApi(inference, Versions.stratus()).endpoint().start(vertx, host, grpcPort,
                config.worker().maxRequestBytes());
    }

    /** The bound gRPC port, or -1 when gRPC is off. */
    public int grpcPort() {
        GrpcEndpoint g = grpc;
        return g == null ? -1 : g.port();
    }

    /** Which models the configuration asks for, and how to find and warm them. */
    static WorkerModels.Selection selection(StratusConfig.Worker cfg) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        cfg.inputShape().forEach((input, dims) -> shapes.put(input, InputShapes.dims(dims, input + "=" + dims)));
        return new WorkerModels.Selection(cfg.catalog().map(Path::of), cfg.modelsDir().map(Path::of),
                cfg.models().map(l -> l.stream().map(String::trim).toList()), shapes, cfg.defaultVersion());
    }

    /** Where optimised models are kept: the configured directory, none when set to "none", else the model cache's. */
    static Optional<Path> optimizedModelCache(StratusConfig.Worker cfg, ModelCache cache) {
        String configured = cfg.optimizedModelCache().orElse("");
        if (configured.equals("none")) {
            return Optional.empty();
        }
        return Optional.of(configured.isEmpty() ? cache.dir().resolve("optimized") : Path.of(configured));
    }

    private String sampleRequest(List<String> names) {
        if (names.contains("vad")) {
            return "curl -s -H 'Content-Type: application/json' -d @examples/requests/vad.json "
                    + "localhost:" + port + "/v2/models/vad/infer";
        }
        return "curl -s localhost:" + port + "/v2/models/" + names.get(0);
    }

    /**
     * The batching policy of one model: its override, else the worker default, never above what the model
     * takes (models fixed at batch 1 get 1 unless an override explicitly asks for more, which is an error).
     */
    static BatchingPolicy policyFor(ModelSpec spec, StratusConfig.Worker cfg) {
        Optional<StratusConfig.ModelOverride> o = Optional.ofNullable(cfg.model().get(spec.name()));
        int maxBatch = o.flatMap(v -> v.maxBatchSize().isPresent() ? Optional.of(v.maxBatchSize().getAsInt())
                : Optional.empty()).orElse(Math.min(cfg.maxBatchSize(), spec.maxBatchSize()));
        double delayMs = o.flatMap(v -> v.maxQueueDelayMs().isPresent()
                ? Optional.of(v.maxQueueDelayMs().getAsDouble()) : Optional.empty()).orElse(cfg.maxQueueDelayMs());
        int queue = o.flatMap(v -> v.maxQueueSize().isPresent() ? Optional.of(v.maxQueueSize().getAsInt())
                : Optional.empty()).orElse(cfg.maxQueueSize());
        return new BatchingPolicy(maxBatch, Duration.ofNanos((long) (delayMs * 1_000_000)), queue);
    }

    /** 1 once a model failed to load in a process that exits on such failures, else 0. */
    int exitCode() {
        return exitCode;
    }

    /** The running worker, or null when this process is not a worker. */
    public WorkerRuntime runtime() {
        return runtime;
    }

    /** Drains (if the SIGTERM handler has not already) and releases the models. */
    void stop(@Observes ShutdownEvent event) {
        WorkerRuntime r = runtime;
        if (r == null) {
            return;
        }
        try {
            if (!r.draining()) {
                r.drain(config.worker().drainTimeoutMs());
            }
            if (grpc != null) {
                grpc.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            r.close();
        }
    }
}
