package dev.stratus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.backend.local.AppCommand;
import dev.stratus.backend.local.WorkerProcess;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.port.InferenceEngine;
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
 * process, in one run on one machine, over HTTP with JSON tensors, HTTP with binary tensors and gRPC. Throughput:
 * direct runs batches of B in a loop; served sends single-item requests with enough in flight that the worker's
 * batcher forms batches of B. CPU per item: the worker process's CPU seconds over the served run (from /proc) per
 * item served, against the benchmark process's own CPU seconds per item over the direct run, measured the same way:
 * what the worker spends beyond ONNX Runtime, whoever else shares the machine. Added latency: one request at a time,
 * direct batch-1 runs vs served requests, at p50 and p99. Unpinned, and pinned (taskset: the load client on cores
 * of its own, the worker and the direct reference on the others), so that the client's CPU does not count against
 * the worker.
 */
public final class DataplaneBenchmark {
    /** Which runs: unpinned, pinned, or both one after the other. */
    public enum Pin {
        OFF, ON, BOTH
    }

    /**
     * @param port       port for the worker this benchmark starts; 0 picks a free one
     * @param targetPort a worker already running on 127.0.0.1 at this port (a container, say) is measured instead
     *                   of starting one (HTTP only, unpinned, no CPU figure: its process is not ours to read); 0
     *                   starts one
     */
    public record Options(String model, int batch, int threads, int instances, int seconds, int lowLoadRequests,
            int concurrency, int port, int targetPort, Pin pin) {
    }

    /** Direct ONNX Runtime: its best configuration's throughput and CPU per item, and batch-1 latency. */
    public record Direct(String configuration, double itemsPerSecond, double batchMs, double cpuMsPerItem,
            double p50Ms, double p99Ms) {
    }

    /** One transport's served figures; {@code workerCpuMsPerItem} is NaN when the worker is not ours to read. */
    public record Served(String transport, double itemsPerSecond, double meanBatch, double batchMs, long errors,
            double workerCpuMsPerItem, double p50Ms, double p99Ms) {
    }

    /** One pinning layout: the direct reference under it, and every transport served under it. */
    public record Run(CorePinning cores, Direct direct, List<Served> served) {
    }

    public record Result(Options options, String machine, String runtime, List<Run> runs) {

        public String toTable() {
            StringBuilder out = new StringBuilder(String.format("Data plane benchmark: %s, batch %d, worker %s "
                    + "intra-op threads x %d instance(s), %s (%s), %s%n", options.model, options.batch,
                    options.threads == 0 ? "default" : options.threads, options.instances, machine, runtime,
                    LocalDate.now()));
            for (Run run : runs) {
                Direct d = run.direct();
                out.append(String.format("%s%n  direct ORT   %10.1f items/s  %7.3f ms CPU/item  p50 %7.3f ms  p99 %7.3f"
                        + " ms  (best: %s; %.1f ms per batch)%n", run.cores().pinned()
                        ? "pinned: load client on cores " + run.cores().clientCores() + ", worker and direct ORT on "
                        + run.cores().workerCores() : "unpinned (every process on every core)", d.itemsPerSecond(),
                        d.cpuMsPerItem(), d.p50Ms(), d.p99Ms(), d.configuration(), d.batchMs()));
                for (Served s : run.served()) {
                    out.append(String.format("  %-12s %10.1f items/s  %7.3f ms CPU/item  p50 %7.3f ms  p99 %7.3f ms"
                            + "  served/direct %.3f  CPU x%.2f  added p50 %.3f ms p99 %.3f ms  (mean batch %.2f, "
                            + "%.1f ms per batch in ORT, %d errors)%n", s.transport(), s.itemsPerSecond(),
                            s.workerCpuMsPerItem(), s.p50Ms(), s.p99Ms(), s.itemsPerSecond() / d.itemsPerSecond(),
                            s.workerCpuMsPerItem() / d.cpuMsPerItem(), s.p50Ms() - d.p50Ms(), s.p99Ms() - d.p99Ms(),
                            s.meanBatch(), s.batchMs(), s.errors()));
                }
            }
            return out.toString().stripTrailing();
        }

        public String toJson() {
            ObjectMapper json = new ObjectMapper();
            ObjectNode n = json.createObjectNode();
            n.put("model", options.model).put("batch", options.batch).put("threads", options.threads)
                    .put("instances", options.instances).put("seconds", options.seconds)
                    .put("concurrency", options.concurrency).put("machine", machine).put("runtime", runtime)
                    .put("date", LocalDate.now().toString());
            ArrayNode list = n.putArray("runs");
            for (Run run : runs) {
                ObjectNode r = list.addObject().put("pinned", run.cores().pinned())
                        .put("client_cores", run.cores().clientCores()).put("worker_cores", run.cores().workerCores());
                Direct d = run.direct();
                r.putObject("direct").put("configuration", d.configuration()).put("items_per_s", d.itemsPerSecond())
                        .put("batch_ms", d.batchMs()).put("cpu_ms_per_item", d.cpuMsPerItem())
                        .put("p50_ms", d.p50Ms()).put("p99_ms", d.p99Ms());
                ArrayNode served = r.putArray("served");
                for (Served s : run.served()) {
                    served.addObject().put("transport", s.transport()).put("items_per_s", s.itemsPerSecond())
                            .put("served_over_direct", s.itemsPerSecond() / d.itemsPerSecond())
                            .put("worker_cpu_ms_per_item", s.workerCpuMsPerItem())
                            .put("cpu_over_direct", s.workerCpuMsPerItem() / d.cpuMsPerItem())
                            .put("mean_batch", s.meanBatch()).put("batch_ms", s.batchMs()).put("errors", s.errors())
                            .put("p50_ms", s.p50Ms()).put("p99_ms", s.p99Ms())
                            .put("added_p50_ms", s.p50Ms() - d.p50Ms()).put("added_p99_ms", s.p99Ms() - d.p99Ms());
                }
            }
            return n.toPrettyString();
        }
    }

    /** One measured configuration of direct ONNX Runtime calls. */
    private record DirectReference(String label, int callers, double itemsPerSecond, double cpuSecondsPerItem) {
        /** Wall time of one batch on one caller. */
        double batchMs(int batch) {
            return callers * batch * 1000 / itemsPerSecond;
        }
    }

    /** Items per second and CPU seconds per item of one direct configuration. */
    private record DirectRun(double itemsPerSecond, double cpuSecondsPerItem) {
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
        if (options.targetPort() > 0 && options.pin() != Pin.OFF) {
            throw new IllegalArgumentException("a worker given by --target is not this benchmark's to pin");
        }
        Path file = ModelCache.fromEnvironment().require(spec);
        int cores = Runtime.getRuntime().availableProcessors();
        List<CorePinning> layouts = switch (options.pin()) {
            case OFF -> List.of(CorePinning.none(cores));
            case ON -> List.of(CorePinning.split(cores));
            case BOTH -> List.of(CorePinning.none(cores), CorePinning.split(cores));
        };
        long self = ProcessHandle.current().pid();
        List<Run> runs = new ArrayList<>();
        try {
            for (CorePinning layout : layouts) {
                progress.printf("== %s ==%n", layout.pinned() ? "pinned: client on cores " + layout.clientCores()
                        + ", worker and direct ORT on cores " + layout.workerCores() : "unpinned");
                if (layout.pinned()) {
                    CorePinning.apply(self, layout.workerCores());
                }
                Direct direct = direct(spec, file);
                if (layout.pinned()) {
                    CorePinning.apply(self, layout.clientCores());
                }
                runs.add(new Run(layout, direct, served(spec, layout)));
                if (layout.pinned()) {
                    CorePinning.apply(self, CorePinning.none(cores).workerCores());
                }
            }
        } finally {
            if (options.pin() != Pin.OFF) {
                CorePinning.apply(self, CorePinning.none(cores).workerCores());
            }
        }
        return new Result(options, machine(), new OnnxEngineFactory().runtimeVersion(), runs);
    }

    /** Direct ONNX Runtime in this process, on the cores it is allowed now: throughput, CPU per item, latency. */
    private Direct direct(ModelSpec spec, Path file) throws Exception {
        // The reference is ONNX Runtime at its best for this machine: one caller with ORT's default threads
        // (busy-waiting pool), and, when the worker runs several instances or set threads, that many concurrent
        // callers with the worker's threads. The faster one counts.
        progress.printf("[direct] ORT throughput, batch %d, %d s per configuration%n", options.batch(),
                options.seconds());
        DirectReference reference;
        try (InferenceEngine engine = new OnnxEngineFactory(true).load(spec, file, 0)) {
            DirectRun r = directThroughput(engine, spec, 1);
            reference = new DirectReference("1 caller, default threads", 1, r.itemsPerSecond(),
                    r.cpuSecondsPerItem());
        }
        if (options.instances() > 1 || options.threads() != 0) {
            try (InferenceEngine engine = new OnnxEngineFactory(true).load(spec, file, options.threads())) {
                DirectRun r = directThroughput(engine, spec, options.instances());
                DirectReference matching = new DirectReference(options.instances() + " caller(s), "
                        + (options.threads() == 0 ? "default" : options.threads()) + " thread(s)",
                        options.instances(), r.itemsPerSecond(), r.cpuSecondsPerItem());
                if (matching.itemsPerSecond() > reference.itemsPerSecond()) {
                    reference = matching;
                }
            }
        }
        // Added latency compares like with like: the worker's own thread setting, one request at a time.
        progress.printf("[direct] ORT latency, batch 1, %d runs%n", options.lowLoadRequests());
        Histogram latency;
        try (InferenceEngine engine = new OnnxEngineFactory().load(spec, file, options.threads())) {
            latency = directLatency(engine, spec);
        }
        return new Direct(reference.label(), reference.itemsPerSecond(), reference.batchMs(options.batch()),
                reference.cpuSecondsPerItem() * 1000, ms(latency, 50), ms(latency, 99));
    }

    /** Every transport against one worker (started here, pinned as {@code layout} says, or the --target one). */
    private List<Served> served(ModelSpec spec, CorePinning layout) throws Exception {
        if (options.targetPort() > 0) {
            progress.printf("[served] the worker at 127.0.0.1:%d (started with --models %s --max-batch %d "
                    + "--max-queue-delay-ms 0)%n", options.targetPort(), spec.name(), options.batch());
            List<Served> out = new ArrayList<>();
            for (LoadClient.Transport t : List.of(LoadClient.Transport.HTTP_JSON, LoadClient.Transport.HTTP_BINARY)) {
                out.add(served(t, options.targetPort(), options.targetPort(), -1, spec));
            }
            return out;
        }
        Path log = Files.createTempFile("stratus-bench-worker-", ".log");
        int grpcPort = AppCommand.freePort();
        List<String> args = new ArrayList<>(List.of("--models", spec.name(), "--max-batch",
                Integer.toString(options.batch()), "--max-queue-delay-ms", "0", "--threads",
                Integer.toString(options.threads()), "--instances", Integer.toString(options.instances()),
                "--grpc-port", Integer.toString(grpcPort)));
        progress.printf("[served] starting worker (log %s)%n", log);
        try (WorkerProcess worker = WorkerProcess.start(args, options.port(), log)) {
            if (layout.pinned()) {
                CorePinning.apply(worker.pid(), layout.workerCores());
            }
            worker.awaitReady(Duration.ofMinutes(2));
            if (layout.pinned()) {
                // Threads started while loading inherit the pinning; this catches any started before it applied.
                CorePinning.apply(worker.pid(), layout.workerCores());
            }
            List<Served> out = new ArrayList<>();
            for (LoadClient.Transport t : LoadClient.Transport.values()) {
                out.add(served(t, worker.port(), t == LoadClient.Transport.GRPC ? grpcPort : worker.port(),
                        worker.pid(), spec));
            }
            return out;
        }
    }

    /** One transport: throughput with the worker's CPU per item over it, then latency at low load. */
    private Served served(LoadClient.Transport transport, int httpPort, int port, long workerPid, ModelSpec spec)
            throws Exception {
        progress.printf("[served] %s: throughput, %d in flight, %d s; latency, %d sequential requests%n",
                transport.label, options.concurrency(), options.seconds(), options.lowLoadRequests());
        try (LoadClient client = new LoadClient(transport, port, spec, SampleInputs.of(spec, 1, 42))) {
            client.closedLoop(options.concurrency(), Duration.ofSeconds(2)); // warm the path and the JIT
            BatchStats before = BatchStats.scrape(httpPort, spec.name());
            double cpuBefore = workerPid > 0 ? ProcessCpu.seconds(workerPid) : Double.NaN;
            LoadClient.Throughput served = client.closedLoop(options.concurrency(),
                    Duration.ofSeconds(options.seconds()));
            double cpu = workerPid > 0 ? ProcessCpu.seconds(workerPid) - cpuBefore : Double.NaN;
            BatchStats after = BatchStats.scrape(httpPort, spec.name());
            Histogram latency = client.sequential(options.lowLoadRequests(), Math.min(50, options.lowLoadRequests()));
            return new Served(transport.label, served.itemsPerSecond(), after.meanBatchSince(before),
                    after.meanComputeMsSince(before), served.errors(), cpu * 1000 / Math.max(1, served.items()),
                    ms(latency, 50), ms(latency, 99));
        }
    }

    /** Items per second, and this process's CPU seconds per item, of {@code callers} threads running batches. */
    private DirectRun directThroughput(InferenceEngine engine, ModelSpec spec, int callers) throws Exception {
        Map<String, Tensor> inputs = direct(SampleInputs.of(spec, options.batch(), 42));
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            runFor(engine, inputs, Duration.ofSeconds(2), callers, pool);
            double cpu = ProcessCpu.self();
            long start = System.nanoTime();
            long batches = runFor(engine, inputs, Duration.ofSeconds(options.seconds()), callers, pool);
            double seconds = (System.nanoTime() - start) / 1e9;
            long items = batches * options.batch();
            return new DirectRun(items / seconds, (ProcessCpu.self() - cpu) / items);
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
