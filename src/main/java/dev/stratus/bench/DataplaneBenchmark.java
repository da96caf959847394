package dev.stratus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.backend.local.WorkerProcess;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.core.port.InferenceEngineFactory;
import dev.stratus.dataplane.worker.onnx.OnnxEngineFactory;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * The data-plane benchmark: ONNX Runtime called directly (the reference) vs the same model served by a worker
 * process over HTTP, in one run on one machine. Throughput: direct runs batches of B in a loop; served sends
 * single-item binary requests with enough in flight that the worker's batcher forms batches of B. Added
 * latency: one request at a time, direct batch-1 runs vs served requests, compared at p50 and p99.
 */
public final class DataplaneBenchmark {
    /**
     * @param port       port for the worker this benchmark starts; 0 picks a free one
     * @param targetPort a worker already running on 127.0.0.1 at this port (a container, say) is measured instead
     *                   of starting one; 0 starts one
     */
    public record Options(String model, int batch, int threads, int instances, int seconds, int lowLoadRequests,
            int concurrency, int port, int targetPort) {
    }

    public record Result(Options options, String machine, String runtime, String directConfiguration,
            double directItemsPerSecond, double directBatchMs, double servedItemsPerSecond, double meanServedBatch,
            double servedBatchMs, long servedErrors, double directP50Ms, double directP99Ms, double servedP50Ms,
            double servedP99Ms) {

        public double ratio() {
            return servedItemsPerSecond / directItemsPerSecond;
        }

        public String toTable() {
            return String.format("""
                    Data plane benchmark: %s, batch %d, worker %s intra-op threads x %d instance(s), %s (%s), %s
                      throughput  direct ORT  %10.1f items/s  (best direct configuration: %s; %.1f ms per batch)
                                  served HTTP %10.1f items/s  (mean batch %.2f, %.1f ms per batch in ORT, %d errors)
                                  served/direct %.3f
                      latency at low load (one request at a time, batch 1)
                                  direct ORT  p50 %7.3f ms  p99 %7.3f ms
                                  served HTTP p50 %7.3f ms  p99 %7.3f ms
                                  added       p50 %7.3f ms  p99 %7.3f ms""",
                    options.model, options.batch, options.threads == 0 ? "default" : options.threads,
                    options.instances, machine, runtime, LocalDate.now(), directItemsPerSecond, directConfiguration,
                    directBatchMs, servedItemsPerSecond, meanServedBatch, servedBatchMs,
                    servedErrors, ratio(), directP50Ms, directP99Ms, servedP50Ms, servedP99Ms,
                    servedP50Ms - directP50Ms, servedP99Ms - directP99Ms);
        }

        public String toJson() {
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("model", options.model).put("batch", options.batch).put("threads", options.threads)
                    .put("instances", options.instances).put("direct_configuration", directConfiguration)
                    .put("seconds", options.seconds).put("concurrency", options.concurrency).put("machine", machine)
                    .put("runtime", runtime).put("date", LocalDate.now().toString())
                    .put("direct_items_per_s", directItemsPerSecond).put("served_items_per_s", servedItemsPerSecond)
                    .put("served_over_direct", ratio()).put("mean_served_batch", meanServedBatch)
                    .put("direct_batch_ms", directBatchMs).put("served_batch_ms", servedBatchMs)
                    .put("served_errors", servedErrors).put("direct_p50_ms", directP50Ms)
                    .put("direct_p99_ms", directP99Ms).put("served_p50_ms", servedP50Ms)
                    .put("served_p99_ms", servedP99Ms).put("added_p50_ms", servedP50Ms - directP50Ms)
                    .put("added_p99_ms", servedP99Ms - directP99Ms);
            return n.toPrettyString();
        }
    }

    /** One measured configuration of direct ONNX Runtime calls. */
    private record DirectReference(String label, int callers, double itemsPerSecond) {
        /** Wall time of one batch on one caller. */
        double batchMs(int batch) {
            return callers * batch * 1000 / itemsPerSecond;
        }
    }

    private final Options options;
    private final PrintStream progress;

    public DataplaneBenchmark(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public Result run() throws Exception {
        ModelSpec spec = ModelCatalog.bundled().require(options.model());
        if (options.batch() > spec.maxBatchSize()) {
            throw new IllegalArgumentException("model '" + spec.name() + "' takes batches of at most "
                    + spec.maxBatchSize());
        }
        Path file = ModelCache.fromEnvironment().require(spec);
        InferenceEngineFactory factory = new OnnxEngineFactory();

        // The reference is ONNX Runtime at its best for this machine: one caller with ORT's default threads
        // (busy-waiting pool), and, when the worker runs several instances or set threads, that many concurrent
        // callers with the worker's threads. The faster one counts.
        progress.printf("[1/4] direct ORT throughput, batch %d, %d s per configuration%n", options.batch(),
                options.seconds());
        DirectReference reference;
        try (InferenceEngine engine = new OnnxEngineFactory(true).load(spec, file, 0)) {
            reference = new DirectReference("1 caller, default threads", 1, directThroughput(engine, spec, 1));
        }
        if (options.instances() > 1 || options.threads() != 0) {
            try (InferenceEngine engine = new OnnxEngineFactory(true).load(spec, file, options.threads())) {
                DirectReference matching = new DirectReference(options.instances() + " caller(s), "
                        + (options.threads() == 0 ? "default" : options.threads()) + " thread(s)",
                        options.instances(), directThroughput(engine, spec, options.instances()));
                if (matching.itemsPerSecond() > reference.itemsPerSecond()) {
                    reference = matching;
                }
            }
        }
        // Added latency compares like with like: the worker's own thread setting, one request at a time.
        progress.printf("[2/4] direct ORT latency, batch 1, %d runs%n", options.lowLoadRequests());
        Histogram directLatency;
        try (InferenceEngine engine = factory.load(spec, file, options.threads())) {
            directLatency = directLatency(engine, spec);
        }

        if (options.targetPort() > 0) {
            progress.printf("[3/4] the worker at 127.0.0.1:%d (started with --models %s --max-batch %d "
                    + "--max-queue-delay-ms 0), served throughput, %d in flight, %d s%n", options.targetPort(),
                    spec.name(), options.batch(), options.concurrency(), options.seconds());
            return served(options.targetPort(), spec, factory, reference, directLatency);
        }
        Path log = Files.createTempFile("stratus-bench-worker-", ".log");
        List<String> args = new ArrayList<>(List.of("--models", spec.name(), "--max-batch",
                Integer.toString(options.batch()), "--max-queue-delay-ms", "0", "--threads",
                Integer.toString(options.threads()), "--instances", Integer.toString(options.instances())));
        progress.printf("[3/4] starting worker (log %s), served throughput, %d in flight, %d s%n", log,
                options.concurrency(), options.seconds());
        try (WorkerProcess worker = WorkerProcess.start(args, options.port(), log)) {
            worker.awaitReady(Duration.ofMinutes(2));
            return served(worker.port(), spec, factory, reference, directLatency);
        }
    }

    /** Phases 3 and 4 against the worker on {@code port}, and the result. */
    private Result served(int port, ModelSpec spec, InferenceEngineFactory factory, DirectReference reference,
            Histogram directLatency) throws Exception {
        try (LoadClient client = new LoadClient(port, spec, SampleInputs.of(spec, 1, 42))) {
            client.closedLoop(options.concurrency(), Duration.ofSeconds(2)); // warm the HTTP path and the JIT
            BatchStats before = BatchStats.scrape(port, spec.name());
            LoadClient.Throughput served = client.closedLoop(options.concurrency(),
                    Duration.ofSeconds(options.seconds()));
            BatchStats after = BatchStats.scrape(port, spec.name());
            progress.printf("[4/4] served latency at low load, %d sequential requests%n", options.lowLoadRequests());
            client.sequential(Math.min(50, options.lowLoadRequests()));
            Histogram servedLatency = client.sequential(options.lowLoadRequests());
            return new Result(options, machine(), factory.runtimeVersion(), reference.label(),
                    reference.itemsPerSecond(), reference.batchMs(options.batch()), served.itemsPerSecond(),
                    after.meanBatchSince(before), after.meanComputeMsSince(before), served.errors(),
                    ms(directLatency, 50), ms(directLatency, 99),
                    ms(servedLatency, 50), ms(servedLatency, 99));
        }
    }

    /** Items per second of {@code callers} threads running batches back to back on one session. */
    private double directThroughput(InferenceEngine engine, ModelSpec spec, int callers) throws Exception {
        Map<String, Tensor> inputs = direct(SampleInputs.of(spec, options.batch(), 42));
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            runFor(engine, inputs, Duration.ofSeconds(2), callers, pool);
            long start = System.nanoTime();
            long batches = runFor(engine, inputs, Duration.ofSeconds(options.seconds()), callers, pool);
            return batches * options.batch() / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long runFor(InferenceEngine engine, Map<String, Tensor> inputs, Duration duration, int callers,
            ExecutorService pool) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        List<Future<Long>> counts = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            counts.add(pool.submit(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    engine.infer(inputs, Set.of());
                    n++;
                }
                return n;
            }));
        }
        long total = 0;
        for (Future<Long> f : counts) {
            total += f.get();
        }
        return total;
    }

    /** The inputs in native memory, which ONNX Runtime reads without a copy: the direct caller at its best. */
    private static Map<String, Tensor> direct(Map<String, Tensor> inputs) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        inputs.forEach((name, t) -> {
            ByteBuffer b = ByteBuffer.allocateDirect(t.byteSize());
            b.put(t.data()).flip();
            out.put(name, new Tensor(name, t.datatype(), t.shape(), b));
        });
        return out;
    }

    private Histogram directLatency(InferenceEngine engine, ModelSpec spec) throws Exception {
        Map<String, Tensor> inputs = direct(SampleInputs.of(spec, 1, 42));
        for (int i = 0; i < 50; i++) {
            engine.infer(inputs, Set.of());
        }
        Histogram h = new Histogram(3);
        for (int i = 0; i < options.lowLoadRequests(); i++) {
            long t = System.nanoTime();
            engine.infer(inputs, Set.of());
            h.recordValue(System.nanoTime() - t);
        }
        return h;
    }

    static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (Exception ignored) {
            // not Linux: keep the generic name
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return cpu + " x" + Runtime.getRuntime().availableProcessors() + " cores (" + host + ")";
    }
}
