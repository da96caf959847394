package dev.stratus.profiling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.host.Versions;
import dev.stratus.backend.local.ProcessPriority;
import dev.stratus.backend.local.WorkerProcess;
import dev.stratus.catalog.CatalogException;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.UserCatalog;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Shapes;
import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.model.profile.LatencyFit;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.model.profile.Provenance;
import dev.stratus.core.profiling.BatchSweep;
import dev.stratus.core.profiling.LatencyFitter;
import dev.stratus.core.profiling.LatencySummary;
import dev.stratus.core.profiling.StabilityRule;
import dev.stratus.dataplane.worker.onnx.OnnxEngineFactory;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.host.HardwareIdentity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Profiles one model on this machine with real worker processes: a cold start without ONNX Runtime's
 * optimised-model cache (which fills it), a second cold start that reuses it, then, on that second worker, the
 * latency of each batch size measured in windows until stable. Returns the profile; writing it is the caller's
 * choice, so that a failed run never leaves a partial file.
 */
public final class Profiler {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rough cost of one worker start before anything is measured, for the first time-left estimate. */
    private static final double START_ESTIMATE_S = 6;

    private final ProfileRequest request;
    private final ProfilingProgress progress;
    private final Path workDir;
    private double plannedSeconds;
    private long startNanos;
    /** Warm-up latency estimates per batch size from the worker, for time-left estimates. */
    private JsonNode estimates;

    public Profiler(ProfileRequest request, ProfilingProgress progress, Path workDir) {
        this.request = request;
        this.progress = progress;
        this.workDir = workDir;
    }

    /**
     * Checks the request without starting anything: known model, valid batch list and input shapes, model
     * file fetched. Throws with the status an API should answer.
     */
    public static Prepared prepare(ProfileRequest request) throws ProfilingException {
        ModelSpec catalogSpec;
        try {
            catalogSpec = ModelCatalog.effective(request.catalog(), UserCatalog.fromEnvironment())
                    .require(request.model());
        } catch (CatalogException e) {
            throw new ProfilingException(404, e.getMessage());
        }
        if (request.threads() < 0) {
            throw new ProfilingException(400, "threads must be >= 0, got " + request.threads());
        }
        BatchSweep sweep;
        try {
            sweep = BatchSweep.of(request.batches(), catalogSpec.name(), catalogSpec.maxBatchSize());
        } catch (IllegalArgumentException e) {
            throw new ProfilingException(400, e.getMessage());
        }
        ModelSpec spec = withShapes(catalogSpec, request.inputShapes());
        try {
            ModelCache.fromEnvironment().require(catalogSpec);
        } catch (CatalogException e) {
            throw new ProfilingException(409, e.getMessage());
        }
        return new Prepared(spec, sweep);
    }

    /** A request that passed {@link #prepare}: the model as it will be fed and the batch sizes. */
    public record Prepared(ModelSpec spec, BatchSweep sweep) {
    }

    public Profile run() throws ProfilingException, InterruptedException {
        Prepared prepared = prepare(request);
        ModelSpec spec = prepared.spec();
        List<Integer> batches = prepared.sweep().batches();
        startNanos = System.nanoTime();
        plannedSeconds = 2 * START_ESTIMATE_S + batches.size() * 3.0 * request.settings().windowMs() / 1000;
        Path cacheDir = workDir.resolve("optimized-models");
        try {
            Files.createDirectories(cacheDir);
            report("cold start, no optimised-model cache", "starting a worker");
            ColdStart cold;
            try (WorkerProcess worker = start(prepared, cacheDir, "cold")) {
                cold = coldStart(worker, spec.name());
                stop(worker);
            }
            report("cold start, optimised-model cache reused", String.format("uncached: %.0f ms to ready",
                    cold.totalMs()));
            try (WorkerProcess worker = start(prepared, cacheDir, "cached")) {
                ColdStart cached = coldStart(worker, spec.name());
                JsonNode stats = stats(worker, spec.name());
                plan(worker, spec.name(), batches);
                List<BatchMeasurement> measured = new ArrayList<>();
                for (int i = 0; i < batches.size(); i++) {
                    measured.add(measure(worker, spec, batches, i, stats));
                }
                stop(worker);
                LatencyFit fit = LatencyFitter.fit(LatencyFitter.points(measured));
                report("done", String.format("fit %s, max error %.1f %%", fit.kind(), 100 * fit.maxRelativeError()));
                return new Profile(spec.name(), provenance(spec), measured, fit, cold, cached);
            }
        } catch (IOException e) {
            throw new ProfilingException(500, "profiling '" + spec.name() + "' failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(workDir);
        }
    }

    private WorkerProcess start(Prepared prepared, Path cacheDir, String label) throws IOException,
            ProfilingException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--models", prepared.spec().name(),
                "--threads", Integer.toString(request.threads()),
                "--max-batch", Integer.toString(prepared.sweep().largest()),
                "--max-queue-delay-ms", "0",
                "--max-request-bytes", Long.toString(requestBytesLimit(prepared)),
                "--optimized-model-cache", cacheDir.toString()));
        request.catalog().ifPresent(c -> args.addAll(List.of("--catalog", c.toAbsolutePath().toString())));
        // Below the serving workers' priority: profiling beside served traffic must not take its CPU.
        WorkerProcess worker = WorkerProcess.start(args, 0, workDir.resolve("worker-" + label + ".log"),
                WorkerProcess.Launch.at(ProcessPriority.niceness(ProcessPriority.Purpose.PROFILE, false)));
        try {
            worker.awaitReady(Duration.ofMinutes(3));
        } catch (IOException e) {
            worker.close();
            throw new ProfilingException(422, "model '" + prepared.spec().name() + "' could not be served: "
                    + lastError(e.getMessage()), e);
        } catch (InterruptedException | RuntimeException e) {
            // Stopped while the worker started (the job's watchdog, a shutdown): it must not outlive the job.
            worker.process().destroyForcibly();
            throw e;
        }
        return worker;
    }

    /** Room for the largest request the sweep sends (ocr-det at batch 16 is about 79 MB), and then some. */
    private static long requestBytesLimit(Prepared prepared) {
        long perItem = SampleInputs.of(prepared.spec(), 1, 1).values().stream().mapToLong(t -> t.byteSize()).sum();
        return Math.max(64L << 20, 2 * perItem * prepared.sweep().largest() + (1 << 20));
    }

    /** The phases of the cold start that just happened, from the worker's own timings and our spawn time. */
    private static ColdStart coldStart(WorkerProcess worker, String model) throws IOException, InterruptedException {
        JsonNode s = stats(worker, model);
        JsonNode load = s.path("load");
        long httpUp = s.path("process").path("http_up_epoch_ms").asLong();
        return new ColdStart(Math.max(0, httpUp - worker.startedEpochMs()), load.path("session_create_ms").asDouble(),
                load.path("first_inference_ms").asDouble(), load.path("warmup_ms").asDouble(),
                load.path("optimized_model_cached").asBoolean());
    }

    /** Reads the worker's warm-up latency estimates, which make the first time-left estimate. */
    private void plan(WorkerProcess worker, String model, List<Integer> batches) throws IOException,
            InterruptedException {
        estimates = get(worker, "/v2/models/" + model + "/config").path("estimated_batch_latency_ms");
        replan(batches, 0, 0);
    }

    /** Time left: the windows still due for the current batch size, then three windows per later size. */
    private void replan(List<Integer> batches, int index, int windowsDone) {
        int windowsNeeded = request.settings().rule().windows();
        double rest = 0;
        for (int i = index; i < batches.size(); i++) {
            int due = i == index ? Math.max(1, windowsNeeded - windowsDone) : windowsNeeded;
            rest += seconds(estimates.path(batches.get(i) - 1).asDouble(1), due);
        }
        plannedSeconds = elapsedSeconds() + rest;
    }

    private double seconds(double latencyMs, int windows) {
        MeasurementSettings m = request.settings();
        return windows * Math.max(m.windowMs(), m.minIterations() * latencyMs) / 1000.0 + latencyMs * 5 / 1000;
    }

    private BatchMeasurement measure(WorkerProcess worker, ModelSpec spec, List<Integer> batches, int index,
            JsonNode stats) throws IOException, InterruptedException, ProfilingException {
        MeasurementSettings settings = request.settings();
        int batch = batches.get(index);
        String phase = "batch " + batch + " (" + (index + 1) + "/" + batches.size() + ")";
        try (LatencyProbe probe = new LatencyProbe(worker.port(), spec.name(),
                SampleInputs.of(spec, batch, 17 + batch).values())) {
            // Warm the HTTP path, the JIT and this shape before anything counts.
            for (int i = 0; i < 5; i++) {
                probe.once();
            }
            List<double[]> windows = new ArrayList<>();
            List<StabilityRule.Window> summaries = new ArrayList<>();
            boolean stable = false;
            while (!stable && windows.size() < settings.maxWindows()) {
                double[] w = probe.window(settings.windowMs(), settings.minIterations());
                windows.add(w);
                summaries.add(LatencySummary.window(w));
                stable = settings.rule().stable(summaries);
                StabilityRule.Window last = summaries.get(summaries.size() - 1);
                replan(batches, stable ? index + 1 : index, windows.size());
                report(phase, String.format("window %d: mean %.2f ms, p50 %.2f ms%s", windows.size(),
                        last.meanMs(), last.p50Ms(), stable ? ", stable" : ""));
            }
            List<double[]> kept = stable ? windows.subList(windows.size() - settings.rule().windows(), windows.size())
                    : windows;
            double[] samples = kept.stream().flatMapToDouble(Arrays::stream).toArray();
            return LatencySummary.of(batch, samples, memoryFor(stats, batch), stable);
        }
    }

    /** Resident memory after warming batches up to this size, less the memory before the model was loaded. */
    private static long memoryFor(JsonNode stats, int batch) {
        JsonNode load = stats.path("load");
        long before = load.path("resident_bytes_before_load").asLong(-1);
        for (JsonNode b : load.path("resident_bytes_after_batch")) {
            if (b.path("batch").asInt() == batch && before >= 0 && b.path("resident_bytes").asLong(-1) >= 0) {
                return Math.max(0, b.path("resident_bytes").asLong() - before);
            }
        }
        return -1;
    }

    private Provenance provenance(ModelSpec spec) {
        boolean gpu = OnnxEngineFactory.usesCuda();
        HardwareIdentity hw = HardwareIdentity.detect(gpu);
        Map<String, List<Long>> shapes = new LinkedHashMap<>();
        for (InputSpec in : spec.inputs()) {
            shapes.put(in.name(), Arrays.stream(in.sampleShape()).boxed().toList());
        }
        return new Provenance(hw.id(), hw.cpuModel(), hw.cpuCores(), hw.gpu().orElse(null), gpu ? "cuda" : "cpu",
                effectiveThreads(), OnnxEngineFactory.ortVersion(), "stratus " + Versions.stratus(), shapes,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null);
    }

    /** Threads the worker's sessions used: the request's, or one per core when it left them to the runtime. */
    private int effectiveThreads() {
        return request.threads() > 0 ? request.threads() : Runtime.getRuntime().availableProcessors();
    }

    private static JsonNode stats(WorkerProcess worker, String model) throws IOException, InterruptedException {
        return get(worker, "/v2/models/" + model + "/stats").path("model_stats").path(0);
    }

    private static JsonNode get(WorkerProcess worker, String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port()
                    + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        }
    }

    private static void stop(WorkerProcess worker) throws InterruptedException {
        worker.stop(Duration.ofSeconds(30));
    }

    private void report(String phase, String detail) {
        double elapsed = elapsedSeconds();
        double planned = Math.max(plannedSeconds, elapsed);
        progress.update(new ProfilingProgress.Update(phase, Math.min(1, elapsed / planned), planned - elapsed,
                detail));
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The catalog's model with other sample shapes: full shape of one item, batch dim 1, same rank. */
    static ModelSpec withShapes(ModelSpec spec, Map<String, long[]> shapes) throws ProfilingException {
        if (shapes.isEmpty()) {
            return spec;
        }
        List<InputSpec> inputs = new ArrayList<>();
        for (String name : shapes.keySet()) {
            if (spec.input(name).isEmpty()) {
                throw new ProfilingException(400, "model '" + spec.name() + "' has no input '" + name + "'; inputs: "
                        + spec.inputs().stream().map(InputSpec::name).toList());
            }
        }
        for (InputSpec in : spec.inputs()) {
            long[] shape = shapes.get(in.name());
            if (shape == null) {
                inputs.add(in);
                continue;
            }
            long[] sample = in.sampleShape();
            if (shape.length != sample.length || Arrays.stream(shape).anyMatch(d -> d < 1)) {
                throw new ProfilingException(400, "input '" + in.name() + "': shape " + Shapes.format(shape)
                        + " must have " + sample.length + " positive dims like " + Shapes.format(sample));
            }
            if (in.batched() && shape[in.batchAxis()] != 1) {
                throw new ProfilingException(400, "input '" + in.name() + "': give the shape of one item, with 1 on "
                        + "batch axis " + in.batchAxis() + " (got " + Shapes.format(shape) + ")");
            }
            inputs.add(new InputSpec(in.name(), in.datatype(), shape, in.batchAxis(), in.sampleValues()));
        }
        return new ModelSpec(spec.name(), spec.version(), spec.description(), spec.licence(), spec.source(), inputs,
                spec.outputs(), spec.maxBatchSize());
    }

    private static String lastError(String message) {
        return message.lines().filter(l -> l.contains("ERROR") || l.contains("failed"))
                .reduce((a, b) -> b).orElse(message.lines().findFirst().orElse(message));
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
