package dev.stratus.cli;

import dev.stratus.app.WorkerApplication;
import dev.stratus.app.WorkerRole;
import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stratus worker}: serve models over the Open Inference Protocol with dynamic batching. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Serve models over the Open Inference Protocol (KServe v2 REST) with dynamic batching.")
public class WorkerCommand implements Callable<Integer> {
    @Option(names = "--models", split = ",", paramLabel = "NAME",
            description = "Models to serve, e.g. ocr-det,ocr-cls,ocr-rec,vad,wakeword (default: every model of "
                    + "--models-dir).")
    List<String> models;

    @picocli.CommandLine.Mixin
    RepositoryOptions repository = new RepositoryOptions();

    @Option(names = "--port", defaultValue = "9001", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    GrpcPortOption grpc = new GrpcPortOption();

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--threads", defaultValue = "0",
            description = "ONNX Runtime intra-op threads per model; 0 = one per core (default).")
    int threads;

    @Option(names = "--max-batch", paramLabel = "[MODEL=]N",
            description = "Max batch size, for all models or one (repeatable). Default 8, capped per model.")
    List<String> maxBatch = List.of();

    @Option(names = "--max-queue-delay-ms", paramLabel = "[MODEL=]MS",
            description = "Max queue delay in ms, for all models or one (repeatable). Default 2.")
    List<String> maxQueueDelay = List.of();

    @Option(names = "--max-queue-size", paramLabel = "[MODEL=]N",
            description = "Max queued items per model before 429, for all models or one (repeatable). Default 1024.")
    List<String> maxQueueSize = List.of();

    @Option(names = "--instances", defaultValue = "1",
            description = "Batches of one model that may run at once (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--max-request-bytes", paramLabel = "BYTES",
            description = "Largest request body accepted (default 64 MiB).")
    Long maxRequestBytes;

    @Option(names = "--compress-min-bytes", paramLabel = "BYTES",
            description = "Compress answers with at least this many tensor bytes for clients that accept gzip or "
                    + "deflate (default 65536).")
    Integer compressMinBytes;

    @Option(names = "--tokens", paramLabel = "FILE",
            description = {"Access tokens, one 'ROLE TOKEN' per line: an admin token may use the model repository",
                    "endpoints (default: ~/.config/stratus/tokens when it exists; STRATUS_SECURITY_ADMIN_TOKEN too)."})
    Path tokens;

    @Option(names = "--catalog", paramLabel = "FILE", description = "Model catalog (default: the bundled one).")
    Path catalog;

    @Option(names = "--optimized-model-cache", paramLabel = "DIR|none",
            description = "Where ONNX Runtime's optimised models are saved on first load and reused after "
                    + "(default: optimized/ in the model cache; none to disable).")
    String optimizedModelCache;

    @Option(names = "--exit-on-load-failure", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"Exit with status 1 when a model named by --models fails to load, or no model at all "
                    + "can be served (default; a repository model that fails is refused alone). With "
                    + "--no-exit-on-load-failure the worker stays up, refuses that model (503) with the reason, and "
                    + "reports not ready on /v2/health/ready, as a container under a readiness probe should."})
    boolean exitOnLoadFailure;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new UserException("--port must be 0..65535, got " + port);
        }
        if (threads < 0 || instances < 1) {
            throw new UserException("--threads must be >= 0 and --instances >= 1");
        }
        if ((models == null || models.isEmpty()) && repository.modelsDir == null) {
            throw new UserException("give the models to serve: --models NAME,... and/or --models-dir DIR");
        }
        repository.apply("stratus.worker");
        grpc.apply("stratus.worker.grpc-port", port);
        set("stratus.role", "worker");
        set("quarkus.http.port", Integer.toString(port));
        set("quarkus.http.host", host);
        if (models != null && !models.isEmpty()) {
            set("stratus.worker.models", String.join(",", models));
        }

        set("stratus.worker.threads", Integer.toString(threads));
        set("stratus.worker.instances", Integer.toString(instances));
        set(WorkerRole.EXIT_ON_FAILURE, Boolean.toString(exitOnLoadFailure));
        if (catalog != null) {
            set("stratus.worker.catalog", catalog.toAbsolutePath().toString());
        }
        if (tokens != null) {
            set("stratus.security.tokens-file", tokens.toAbsolutePath().toString());
        }
        if (optimizedModelCache != null) {
            set("stratus.worker.optimized-model-cache", optimizedModelCache.equals("none") ? "none"
                    : Path.of(optimizedModelCache).toAbsolutePath().toString());
        }
        if (maxRequestBytes != null) {
            set("stratus.worker.max-request-bytes", Long.toString(maxRequestBytes));
            // Quarkus' own limit must stay above the worker's, which drains up to 4x before answering 413.
            set("quarkus.http.limits.max-body-size", Long.toString(Math.max(257L << 20, 4 * maxRequestBytes
                    + (1 << 20))));
        }
        if (compressMinBytes != null) {
            if (compressMinBytes < 0) {
                throw new UserException("--compress-min-bytes must be >= 0, got " + compressMinBytes);
            }
            set("stratus.worker.compress-min-bytes", Integer.toString(compressMinBytes));
        }
        perModel(maxBatch, "max-batch-size", "--max-batch", true);
        perModel(maxQueueDelay, "max-queue-delay-ms", "--max-queue-delay-ms", false);
        perModel(maxQueueSize, "max-queue-size", "--max-queue-size", true);
        Quarkus.run(WorkerApplication.class);
        return StratusCommand.KEEP_RUNNING;
    }

    private static void perModel(List<String> values, String key, String flag, boolean integer) {
        for (String value : values) {
            Map.Entry<String, String> e = value.contains("=")
                    ? Map.entry(value.substring(0, value.indexOf('=')).trim(), value.substring(value.indexOf('=') + 1))
                    : Map.entry("", value);
            try {
                double n = integer ? Integer.parseInt(e.getValue().trim()) : Double.parseDouble(e.getValue().trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException ex) {
                throw new UserException(flag + ": expected " + (integer ? "a non-negative integer" : "a number")
                        + " or MODEL=value, got '" + value + "'");
            }
            set(e.getKey().isEmpty() ? "stratus.worker." + key
                    : "stratus.worker.model.\"" + e.getKey() + "\"." + key, e.getValue().trim());
        }
    }

    private static void set(String key, String value) {
        System.setProperty(key, value);
    }
}
