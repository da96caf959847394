package dev.stratus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.core.batching.OverloadRule;
import dev.stratus.core.model.BatchingPolicy;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.ModelState;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.profiling.LatencyCurve;
import dev.stratus.core.simulation.BatchRule;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ModelResult;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingPolicy;
import dev.stratus.core.simulation.ServiceTime;
import dev.stratus.core.simulation.SimConfig;
import dev.stratus.core.simulation.SimDispatch;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.SimPool;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.Simulator;
import dev.stratus.core.simulation.arrival.PoissonArrivals;
import dev.stratus.dataplane.protocol.InferenceRequest;
import dev.stratus.dataplane.protocol.ProtocolException;
import dev.stratus.dataplane.worker.onnx.OnnxEngineFactory;
import dev.stratus.dataplane.worker.runtime.ModelRuntime;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.dataplane.worker.runtime.ServedModel;
import dev.stratus.dataplane.worker.runtime.ValidatedRequest;
import dev.stratus.dataplane.worker.runtime.WorkerMetrics;
import dev.stratus.host.HardwareIdentity;
import dev.stratus.profiles.FileProfileStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code ./stratus bench early-drop}: goodput of the worker's batch rule under overload, before (batches shrink for late
 * heads) and after early drop (heads a full batch cannot serve get the deadline error), on a real worker runtime and
 * in the simulator. The worker runtime is the one {@code ./stratus worker} runs ({@link ModelRuntime}: real ONNX
 * Runtime on the sample model, its queue and batcher), driven in process by an open-loop Poisson stream so that HTTP
 * and a load client do not take the two cores' CPU; each request carries a deadline of {@code sloFactor} times the
 * measured batch time at the max batch. The offered rate is {@code overload} times the replica's full-batch capacity
 * b/l(b), measured in the same run (the median of 31 full batches). The simulator runs the same overload on the
 * model's profile (deterministic; the machine's speed under other load is not). Goodput = requests answered within
 * their deadline per second.
 */
public final class EarlyDropBenchmark {

    public record Options(String model, int batch, int threads, double overload, double sloFactor, int seconds,
            long seed) {
        public Options {
            if (batch < 1 || threads < 0 || !(overload > 0) || !(sloFactor > 1) || seconds < 1) {
                throw new IllegalArgumentException("batch >= 1, threads >= 0, overload > 0, slo factor > 1 and "
                        + "seconds >= 1 required");
            }
        }
    }

    /** One rule's outcome, on the worker and in the simulator. */
    public record Row(String rule, long offered, long good, long late, long deadline, long full, double goodput,
            double meanBatch, double simGoodput, double simMeanBatch) {
    }

    public record Result(Options options, double batchMs, double capacityPerSecond, double ratePerSecond,
            double deadlineMs, List<Row> rows, String profileHardware, double profileBatchMs) {
        public String toTable() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "Overload: %s, max batch %d, l(%d) = %.2f ms "
                    + "measured, capacity %.0f req/s; offered %.0f req/s (%.1fx) for %d s, deadline %.1f ms%n%n",
                    options.model(), options.batch(), options.batch(), batchMs, capacityPerSecond, ratePerSecond,
                    options.overload(), options.seconds(), deadlineMs));
            s.append(String.format(Locale.ROOT, "Simulator: profile %s, l(%d) = %.2f ms, capacity %.0f req/s, offered "
                    + "%.1fx, deadline %.1f ms, 300 s%n%n", profileHardware, options.batch(), profileBatchMs,
                    options.batch() * 1000 / profileBatchMs, options.overload(), options.sloFactor() * profileBatchMs));
            s.append(String.format(Locale.ROOT, "%-10s %8s %8s %8s %9s %8s %11s %10s %13s %12s%n", "RULE", "OFFERED",
                    "GOOD", "LATE", "DEADLINE", "FULL", "GOODPUT/s", "BATCH", "SIM GOODPUT/s", "SIM BATCH"));
            for (Row r : rows) {
                s.append(String.format(Locale.ROOT, "%-10s %8d %8d %8d %9d %8d %11.1f %10.2f %13.1f %12.2f%n", r.rule(),
                        r.offered(), r.good(), r.late(), r.deadline(), r.full(), r.goodput(), r.meanBatch(),
                        r.simGoodput(), r.simMeanBatch()));
            }
            if (rows.size() == 2) {
                s.append(String.format(Locale.ROOT, "%nEarly drop / shrink goodput: worker %.2fx, simulator %.2fx%n",
                        rows.get(1).goodput() / rows.get(0).goodput(), rows.get(1).simGoodput() / rows.get(0).simGoodput()));
            }
            s.append("GOOD: answered within the deadline; LATE: answered after it; DEADLINE: answered 504 (expired or "
                    + "dropped early); FULL: refused with 429 (queue full).\n");
            return s.toString();
        }

        public String toJson() {
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = json.createObjectNode();
            root.put("model", options.model()).put("batch", options.batch()).put("batchMs", batchMs)
                    .put("profileHardware", profileHardware).put("profileBatchMs", profileBatchMs)
                    .put("capacityPerSecond", capacityPerSecond).put("ratePerSecond", ratePerSecond)
                    .put("deadlineMs", deadlineMs).put("seconds", options.seconds());
            ArrayNode rs = root.putArray("rules");
            for (Row r : rows) {
                rs.addObject().put("rule", r.rule()).put("offered", r.offered()).put("good", r.good())
                        .put("late", r.late()).put("deadline", r.deadline()).put("full", r.full())
                        .put("goodputPerSecond", r.goodput()).put("meanBatch", r.meanBatch())
                        .put("simulatedGoodputPerSecond", r.simGoodput()).put("simulatedMeanBatch", r.simMeanBatch());
            }
            try {
                return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Options options;
    private final PrintStream log;

    public EarlyDropBenchmark(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    public Result run() throws Exception {
        ModelSpec spec = ModelCatalog.bundled().require(options.model());
        if (options.batch() > spec.maxBatchSize()) {
            throw new IllegalArgumentException("model " + spec.name() + " takes batches of at most "
                    + spec.maxBatchSize());
        }
        Path file = ModelCache.fromEnvironment().require(spec);
        Profile profile = profile(spec.name());
        ServiceTime simTime = ServiceTime.fromCurve(new LatencyCurve(profile), Math.min(options.batch(),
                profile.maxBatch()));
        List<Row> rows = new ArrayList<>();
        double batchMs = Double.NaN;
        double rate = Double.NaN;
        double deadlineMs = Double.NaN;
        double capacity = Double.NaN;
        for (OverloadRule rule : List.of(OverloadRule.SHRINK, OverloadRule.DROP_HEAD)) {
            BatchingPolicy policy = new BatchingPolicy(options.batch(), Duration.ofMillis(2), 1024, rule);
            BatchCounter batches = new BatchCounter();
            try (ModelRuntime runtime = new ModelRuntime(spec, file, new OnnxEngineFactory(), policy,
                    options.threads(), 1, batches, System::nanoTime)) {
                log.printf(Locale.ROOT, "[%s] loading and warming %s ...%n", label(rule), spec.name());
                runtime.start();
                if (runtime.state() != ModelState.READY) {
                    throw new IllegalStateException("model " + spec.name() + " did not start: " + runtime.failure());
                }
                if (Double.isNaN(batchMs)) {
                    // Measured once, on the first runtime: the median of full batches run back to back.
                    batchMs = medianBatchMs(runtime, spec);
                    capacity = options.batch() * 1000 / batchMs;
                    rate = options.overload() * capacity;
                    deadlineMs = options.sloFactor() * batchMs;
                    log.printf(Locale.ROOT, "l(%d) = %.2f ms here and now: capacity %.0f req/s, offering %.0f req/s%n",
                            options.batch(), batchMs, capacity, rate);
                }
                batches.reset();
                rows.add(drive(runtime, spec, rule, rate, deadlineMs, batches, simulate(simTime, rule)));
            }
        }
        return new Result(options, batchMs, capacity, rate, deadlineMs, rows, profile.provenance().hardwareId(),
                simTime.meanMs(simTime.maxBatch()));
    }

    /** This machine's profile of the model, else any. */
    private static Profile profile(String model) {
        FileProfileStore store = new FileProfileStore(Path.of("profiles"));
        return store.find(model, HardwareIdentity.detect(false).id()).orElseGet(() -> store.forModel(model).stream()
                .findFirst().orElseThrow(() -> new IllegalStateException("no profile of " + model + " in profiles/")));
    }

    private static String label(OverloadRule rule) {
        return rule == OverloadRule.SHRINK ? "shrink" : "early-drop";
    }

    /** The median time of full batches run back to back on the runtime (ms): what it does on this machine now. */
    private double medianBatchMs(ModelRuntime runtime, ModelSpec spec) throws Exception {
        List<ValidatedRequest> requests = requests(runtime, spec, options.batch());
        double[] ms = new double[31];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            List<CompletableFuture<List<Tensor>>> batch = new ArrayList<>();
            for (ValidatedRequest r : requests) {
                batch.add(runtime.submit(r, Long.MAX_VALUE));
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static List<ValidatedRequest> requests(ModelRuntime runtime, ModelSpec spec, int count) {
        List<ValidatedRequest> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Tensor> inputs = SampleInputs.of(spec, 1, 100 + i);
            out.add(runtime.validate(new InferenceRequest(Optional.empty(), new ArrayList<>(inputs.values()), List.of(),
                    OptionalLong.empty(), false)));
        }
        return out;
    }

    /** Open-loop Poisson arrivals for the run's seconds, each with its deadline; waits for every answer. */
    private Row drive(ModelRuntime runtime, ModelSpec spec, OverloadRule rule, double rate, double deadlineMs,
            BatchCounter batches, double[] sim) throws Exception {
        List<ValidatedRequest> pool = requests(runtime, spec, 32);
        SplittableRandom rng = new SplittableRandom(options.seed());
        LongAdder good = new LongAdder();
        LongAdder late = new LongAdder();
        LongAdder expired = new LongAdder();
        LongAdder full = new LongAdder();
        AtomicLong pending = new AtomicLong();
        long deadlineNanos = Math.round(deadlineMs * 1e6);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(options.seconds());
        long next = start;
        long offered = 0;
        log.printf(Locale.ROOT, "[%s] %.0f req/s for %d s ...%n", label(rule), rate, options.seconds());
        while (true) {
            next += Math.round(rng.nextExponential() / rate * 1e9);
            if (next >= end) {
                break;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long sent = next;
            offered++;
            pending.incrementAndGet();
            runtime.submit(pool.get((int) (offered % pool.size())), sent + deadlineNanos).whenComplete((out, error) -> {
                if (error == null) {
                    (System.nanoTime() - sent <= deadlineNanos ? good : late).increment();
                } else if (error instanceof ProtocolException p && p.status() == 429) {
                    full.increment();
                } else {
                    expired.increment();
                }
                pending.decrementAndGet();
            });
        }
        long drainBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pending.get() > 0 && System.nanoTime() < drainBy) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        double meanBatch = batches.mean();
        return new Row(label(rule), offered, good.sum(), late.sum(), expired.sum(), full.sum(),
                good.sum() / (double) options.seconds(), meanBatch, sim[0], sim[1]);
    }

    /** Counts the batches the runtime executes (its metrics hook), for their mean size. */
    private static final class BatchCounter implements WorkerMetrics {
        private final LongAdder batches = new LongAdder();
        private final LongAdder items = new LongAdder();

        @Override
        public void request(String model, dev.stratus.dataplane.protocol.Outcome outcome, long nanos) {
        }

        @Override
        public void queued(String model, long nanos) {
        }

        @Override
        public void batch(String model, int size, long nanos) {
            batches.increment();
            items.add(size);
        }

        @Override
        public void register(ServedModel model) {
        }

        void reset() {
            batches.reset();
            items.reset();
        }

        double mean() {
            long b = batches.sum();
            return b == 0 ? 0 : (double) items.sum() / b;
        }
    }

    /**
     * The same overload in the simulator, on the model's profile (this machine's hardware class when profiled):
     * offered {@code overload} times the profile's full-batch capacity, deadline {@code sloFactor} times its
     * max-batch time. {goodput/s, mean batch, offered/s, deadline ms}.
     */
    private double[] simulate(ServiceTime st, OverloadRule rule) {
        int b = st.maxBatch();
        double rate = options.overload() * st.throughputPerSecond(b);
        double deadlineMs = options.sloFactor() * st.meanMs(b);
        SimModel model = new SimModel(options.model(), deadlineMs, 0.99, st, new ColdStart(0, 0, 0, 0, false), null,
                new PoissonArrivals(rate));
        BatchRule formation = rule == OverloadRule.SHRINK ? BatchRule.SHRINK : BatchRule.DEADLINE_AWARE;
        ReplicaGroup group = new ReplicaGroup("local", 1, 0, List.of(new GroupMember(options.model(), b, 2, 1)), 1,
                SimDispatch.BATCH_AWARE, 1024, formation);
        double seconds = 300;
        SimWorkload w = new SimWorkload(List.of(model), List.of(new SimPool("local", 1, 0)), seconds, 1);
        ModelResult r = Simulator.run(label(rule), new SimConfig(w, List.of(group), false), ScalingPolicy.none(),
                options.seed()).model(options.model());
        return new double[] {r.withinSlo() / seconds, r.meanBatch(), rate, deadlineMs};
    }
}
