package dev.stratus.dataplane.worker.runtime;

import dev.stratus.catalog.LocatedModel;
import dev.stratus.core.catalog.ResolvedEntry;
import dev.stratus.core.model.BatchingPolicy;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.LoadReport;
import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.ModelState;
import dev.stratus.core.model.OutputSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.batching.BatchFormation;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.core.port.InferenceEngineFactory;
import dev.stratus.core.port.InferenceException;
import dev.stratus.dataplane.protocol.InferenceRequest;
import dev.stratus.dataplane.protocol.ProtocolException;
import dev.stratus.dataplane.worker.batching.DynamicBatcher;
import dev.stratus.dataplane.worker.batching.LatencyEstimator;
import dev.stratus.dataplane.worker.batching.TensorBatching;
import dev.stratus.host.ResidentMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * One model served by a worker: its engine, its queue and dynamic batcher, and its lifecycle
 * LOADING -> WARMING -> READY -> DRAINING. Requests are accepted only when READY.
 */
public final class ModelRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ModelRuntime.class);

    private final ModelEntry entry;
    private final InferenceEngineFactory factory;
    private final Function<ModelSpec, BatchingPolicy> policyFor;
    private final int intraOpThreads;
    private final int instances;
    private final WorkerMetrics metrics;
    private final LongSupplier clock;
    private final AtomicInteger executingItems = new AtomicInteger();
    /**
     * Per execution thread, reused native memory for stacked inputs: allocating (and zeroing, and faulting in)
     * megabytes of fresh memory per batch costs more than the copy itself. Safe because a batch's input
     * tensors are released when its run returns.
     */
    private final ThreadLocal<ScratchBuffers> scratch = ThreadLocal.withInitial(ScratchBuffers::new);

    private volatile ModelState state = ModelState.LOADING;
    private volatile String failure;
    private volatile Throwable failureCause;
    /** The entry served with, decided once the model is loaded (a catalog's, or inferred from its metadata). */
    private volatile ModelSpec spec;
    private volatile String batching = "not loaded yet";
    private volatile BatchingPolicy policy;
    private volatile LatencyEstimator latency = new LatencyEstimator(1);
    private volatile InferenceEngine engine;
    private volatile RequestValidator validator;
    private volatile DynamicBatcher<WorkItem> batcher;
    private volatile LoadReport loadReport;

    /**
     * @param policyFor the batching policy for the entry once it is known (never above the model's own maximum)
     */
    public ModelRuntime(ModelEntry entry, InferenceEngineFactory factory, Function<ModelSpec, BatchingPolicy> policyFor,
            int intraOpThreads, int instances, WorkerMetrics metrics, LongSupplier clock) {
        this.entry = entry;
        this.factory = factory;
        this.policyFor = policyFor;
        this.intraOpThreads = intraOpThreads;
        this.instances = instances;
        this.metrics = metrics;
        this.clock = clock;
        this.policy = new BatchingPolicy(1, java.time.Duration.ZERO, BatchingPolicy.DEFAULT_MAX_QUEUE_SIZE);
    }

    /** A model with a known catalog entry and file, at a fixed policy (tests and benchmarks). */
    public ModelRuntime(ModelSpec spec, Path modelFile, InferenceEngineFactory factory, BatchingPolicy policy,
            int intraOpThreads, int instances, WorkerMetrics metrics, LongSupplier clock) {
        this(ModelEntry.catalog(spec, modelFile), factory, s -> policy, intraOpThreads, instances, metrics, clock);
        if (policy.maxBatchSize() > spec.maxBatchSize()) {
            throw new IllegalArgumentException("model '" + spec.name() + "' takes batches of at most "
                    + spec.maxBatchSize() + ", but max batch size " + policy.maxBatchSize() + " was asked for");
        }
        this.spec = spec;
        this.policy = policy;
        this.latency = new LatencyEstimator(policy.maxBatchSize(), clock);
    }

    /**
     * Finds and loads the model, decides its entry (the catalog's, checked against the model, or inferred from its
     * metadata), and warms it at every batch size it may use. A failure leaves this model FAILED with a one-line
     * reason naming the file; the trace goes to the log at debug level.
     */
    public void start() {
        long loadStartEpochMs = System.currentTimeMillis();
        long residentBefore = ResidentMemory.ofSelf();
        LocatedModel located = null;
        try {
            located = entry.locate();
            long t0 = clock.getAsLong();
            ModelSpec provisional = located.entry().orElse(null);
            engine = factory.load(new ModelSpec(entry.name(), entry.version(), "", "", located.source(),
                    provisional == null ? List.of() : provisional.inputs(),
                    provisional == null ? List.of() : provisional.outputs(),
                    provisional == null ? 1 : provisional.maxBatchSize()), located.file(), intraOpThreads);
            double sessionMs = (clock.getAsLong() - t0) / 1e6;
            ResolvedEntry resolved = entry.resolve(located, engine.signature());
            BatchingPolicy chosen = policyFor.apply(resolved.spec());
            if (chosen.maxBatchSize() > resolved.spec().maxBatchSize()) {
                throw new IllegalArgumentException("it takes batches of at most " + resolved.spec().maxBatchSize()
                        + ", but max batch size " + chosen.maxBatchSize() + " was asked for");
            }
            spec = resolved.spec();
            batching = resolved.batching();
            policy = chosen;
            latency = new LatencyEstimator(chosen.maxBatchSize(), clock);
            validator = new RequestValidator(spec, engine.signature(), policy.maxBatchSize());
            state = ModelState.WARMING;
            long t1 = clock.getAsLong();
            long[] firstNanos = new long[1];
            List<LoadReport.BatchMemory> memory = warmUp(firstNanos);
            double warmupMs = (clock.getAsLong() - t1 - firstNanos[0]) / 1e6;
            loadReport = new LoadReport(loadStartEpochMs, sessionMs, firstNanos[0] / 1e6, warmupMs,
                    engine.loadedFromOptimizedCache(), residentBefore, memory);
            batcher = new DynamicBatcher<>(entry.name(), policy, latency, clock, instances, this::runBatch,
                    this::expire);
            batcher.start();
            state = ModelState.READY;
            LOG.infof("model %s ready (version %s, max batch %d, max queue delay %s; %s)", entry.name(),
                    entry.version(), policy.maxBatchSize(), policy.maxQueueDelay(), batching);
        } catch (InferenceException | RuntimeException e) {
            String where = located == null ? "" : located.file() + ": ";
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            failure = message.startsWith(where) || where.isEmpty() ? oneLine(message) : where + oneLine(message);
            failureCause = e;
            state = ModelState.FAILED;
            LOG.errorf("model %s version %s cannot be served: %s", entry.name(), entry.version(), failure);
            LOG.debugf(e, "model %s version %s failed", entry.name(), entry.version());
            InferenceEngine loaded = engine;
            engine = null;
            if (loaded != null) {
                loaded.close();
            }
        }
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /**
     * Runs every batch size the batcher may form, twice: the first run of a size pays one-off allocations,
     * the second seeds the latency estimate that deadline checks use. Resident memory after each size is what
     * a replica needs to serve batches up to that size (the profiler reads it). The very first run, batch 1, is
     * timed into {@code firstNanos[0]}: the cold start's first-inference phase.
     */
    private List<LoadReport.BatchMemory> warmUp(long[] firstNanos) throws InferenceException {
        List<LoadReport.BatchMemory> memory = new ArrayList<>();
        for (int b = 1; b <= policy.maxBatchSize(); b++) {
            Map<String, Tensor> inputs = SampleInputs.of(spec, b, b);
            long first = clock.getAsLong();
            engine.infer(inputs, Set.of());
            if (b == 1) {
                firstNanos[0] = clock.getAsLong() - first; // the model's first inference: its cold-start phase
            }
            long start = clock.getAsLong();
            engine.infer(inputs, Set.of());
            latency.observe(b, clock.getAsLong() - start, 1.0);
            memory.add(new LoadReport.BatchMemory(b, ResidentMemory.ofSelf()));
        }
        return memory;
    }

    /** How the load and warm-up went, once the model is READY (null before). */
    public LoadReport loadReport() {
        return loadReport;
    }

    public ValidatedRequest validate(InferenceRequest request) {
        RequestValidator v = validator;
        if (v == null) {
            throw new ProtocolException(503, notReady());
        }
        return v.validate(request);
    }

    /**
     * Queues a validated request. The future completes with the requested outputs, or exceptionally with a
     * {@link ProtocolException} (503 not ready or draining, 429 queue full, 504 deadline, 500 runtime failure), on
     * the model's execution thread.
     */
    public CompletableFuture<List<Tensor>> submit(ValidatedRequest request, long deadlineNanos) {
        return submit(request, deadlineNanos, AnswerHandoff.CALLER);
    }

    /**
     * As {@link #submit(ValidatedRequest, long)}, but a queued request's future completes through {@code handoff}
     * (on its thread, in its context), together with the other answers of its batch for that thread. A request
     * refused at once fails on the calling thread.
     */
    public CompletableFuture<List<Tensor>> submit(ValidatedRequest request, long deadlineNanos,
            AnswerHandoff handoff) {
        if (state != ModelState.READY) {
            return CompletableFuture.failedFuture(new ProtocolException(503, notReady()));
        }
        long now = clock.getAsLong();
        if (deadlineNanos <= now) {
            return CompletableFuture.failedFuture(new ProtocolException(504, "deadline exceeded before the request "
                    + "was queued for model '" + spec.name() + "'"));
        }
        WorkItem item = new WorkItem(request, now, deadlineNanos, handoff);
        // The same rule the batcher applies to queued requests: refuse what cannot finish even if run alone now.
        if (BatchFormation.latestStart(item, latency) < now) {
            return CompletableFuture.failedFuture(new ProtocolException(504, String.format(
                    "deadline cannot be met: model '%s' needs about %.1f ms and %.1f ms are left", spec.name(),
                    latency.estimateNanos(item.batchCount(), item.costScale()) / 1e6, (deadlineNanos - now) / 1e6)));
        }
        return switch (batcher.offer(item)) {
            case ACCEPTED -> item.result;
            case QUEUE_FULL -> CompletableFuture.failedFuture(new ProtocolException(429, "queue of model '"
                    + spec.name() + "' is full (" + policy.maxQueueSize() + " items)"));
            case CLOSED -> CompletableFuture.failedFuture(new ProtocolException(503, "model '" + spec.name()
                    + "' is draining"));
        };
    }

    private void expire(List<WorkItem> items) {
        long now = clock.getAsLong();
        handOff(items, i -> {
            WorkItem item = items.get(i);
            String message = item.deadline <= now ? "deadline exceeded after waiting "
                    + String.format("%.1f", (now - item.enqueuedAt) / 1e6) + " ms in the queue of model '"
                    + spec.name() + "'"
                    : "deadline cannot be met by the next batch of model '" + spec.name() + "'";
            ProtocolException error = new ProtocolException(504, message);
            return () -> item.result.completeExceptionally(error);
        });
    }

    /**
     * Completes the items' futures through their hand-offs: one task per receiving thread for all of its items (in
     * batch order), instead of one wake-up per request. {@code answer} (given an item's index) runs here, what it
     * returns runs there.
     */
    static void handOff(List<WorkItem> items, IntFunction<Runnable> answer) {
        Map<Executor, List<Runnable>> byThread = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Runnable complete = answer.apply(i);
            AnswerHandoff handoff = items.get(i).handoff;
            byThread.computeIfAbsent(handoff.thread(), t -> new ArrayList<>()).add(() -> handoff.run(complete));
        }
        byThread.forEach((thread, answers) -> {
            Runnable all = () -> answers.forEach(Runnable::run);
            try {
                thread.execute(all);
            } catch (RejectedExecutionException e) {
                all.run(); // the thread is shutting down: answered here rather than never
            }
        });
    }

    private void runBatch(List<WorkItem> batch) {
        long start = clock.getAsLong();
        int size = 0;
        for (WorkItem item : batch) {
            metrics.queued(spec.name(), start - item.enqueuedAt);
            size += item.batchCount();
        }
        executingItems.addAndGet(size);
        try {
            Map<String, Tensor> outputs = engine.infer(stackInputs(batch), wantedOutputs(batch));
            long elapsed = clock.getAsLong() - start;
            latency.observe(size, elapsed, batch.get(0).costScale());
            metrics.batch(spec.name(), size, elapsed);
            distribute(batch, outputs);
        } catch (InferenceException | RuntimeException e) {
            LOG.errorf("batch of %d on %s failed: %s", size, spec.name(), e.getMessage());
            ProtocolException error = new ProtocolException(500, "inference failed: " + e.getMessage());
            handOff(batch, i -> () -> batch.get(i).result.completeExceptionally(error));
        } finally {
            executingItems.addAndGet(-size);
        }
    }

    private Map<String, Tensor> stackInputs(List<WorkItem> batch) {
        Map<String, Tensor> stacked = new HashMap<>();
        for (InputSpec in : spec.inputs()) {
            if (!in.batched()) {
                stacked.put(in.name(), batch.get(0).request.inputs().get(in.name()));
                continue;
            }
            List<Tensor> parts = new ArrayList<>(batch.size());
            batch.forEach(item -> parts.add(item.request.inputs().get(in.name())));
            stacked.put(in.name(), TensorBatching.concat(in.name(), parts, in.batchAxis(),
                    size -> scratch.get().buffer(in.name(), size)));
        }
        return stacked;
    }

    private static Set<String> wantedOutputs(List<WorkItem> batch) {
        Set<String> names = new LinkedHashSet<>();
        batch.forEach(item -> names.addAll(item.request.outputs()));
        return names;
    }

    private void distribute(List<WorkItem> batch, Map<String, Tensor> outputs) {
        int[] sizes = batch.stream().mapToInt(WorkItem::batchCount).toArray();
        Map<String, List<Tensor>> pieces = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            if (batch.size() == 1) {
                pieces.put(e.getKey(), List.of(e.getValue()));
            } else {
                int axis = spec.output(e.getKey()).map(OutputSpec::batchAxis).orElse(0);
                pieces.put(e.getKey(), TensorBatching.split(e.getValue(), axis, sizes));
            }
        }
        handOff(batch, i -> {
            WorkItem item = batch.get(i);
            List<Tensor> result = new ArrayList<>(item.request.outputs().size());
            for (String name : item.request.outputs()) {
                result.add(pieces.get(name).get(i));
            }
            return () -> item.result.complete(result);
        });
    }

    /** Stops accepting requests and finishes the queued ones; true when all finished within the timeout. */
    public boolean drain(long timeoutNanos) throws InterruptedException {
        if (state == ModelState.READY) {
            state = ModelState.DRAINING;
        }
        DynamicBatcher<WorkItem> b = batcher;
        return b == null || b.drain(timeoutNanos);
    }

    /** Items queued or executing. */
    public int pendingItems() {
        DynamicBatcher<WorkItem> b = batcher;
        return (b == null ? 0 : b.queuedItems()) + executingItems.get();
    }

    /** Why a request cannot be served now: the state, and for a model that failed, why. */
    private String notReady() {
        return "model '" + entry.name() + "' version " + entry.version() + " is " + state
                + (state == ModelState.FAILED ? ": " + failure : ", not ready");
    }

    /** The entry served with; null until the model is loaded. */
    public ModelSpec spec() {
        return spec;
    }

    public String name() {
        return entry.name();
    }

    public String version() {
        return entry.version();
    }

    /** How requests are batched, in words: the axis, or why the model is served at batch 1. */
    public String batching() {
        return batching;
    }

    /** Inputs as known before loading (a catalog entry's), then as served. */
    public List<InputSpec> inputs() {
        ModelSpec s = spec;
        return s != null ? s.inputs() : entry.knownInputs();
    }

    public BatchingPolicy policy() {
        return policy;
    }

    public ModelState state() {
        return state;
    }

    /** Why the model failed to load, when {@link #state()} is FAILED: one line naming the file. */
    public String failure() {
        return failure;
    }

    /** The exception behind {@link #failure()}, for a log that keeps traces. */
    public Throwable failureCause() {
        return failureCause;
    }

    /** The runtime's view of the model, available once loaded. */
    public ModelSignature signature() {
        InferenceEngine e = engine;
        return e == null ? null : e.signature();
    }

    /** Latency estimate of a batch at the warm-up shape, in nanoseconds (0 before warm-up). */
    public long estimatedBatchNanos(int batchSize) {
        return latency.estimateNanos(batchSize, 1.0);
    }

    @Override
    public void close() {
        DynamicBatcher<WorkItem> b = batcher;
        if (b != null) {
            ProtocolException unloaded = new ProtocolException(503, "model '" + entry.name() + "' version "
                    + entry.version() + " was unloaded");
            List<WorkItem> left = List.copyOf(b.shutdown());
            handOff(left, i -> () -> left.get(i).result.completeExceptionally(unloaded));
        }
        InferenceEngine e = engine;
        if (e != null) {
            e.close();
        }
    }
}
