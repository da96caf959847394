package dev.stratus.dataplane.worker.runtime;

import dev.stratus.core.model.ModelState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The models of one worker process and the process-level lifecycle: loads and warms the models in the
 * background (the process is live at once, ready once the first load has finished and the models it must serve
 * do), tracks requests in flight, reloads a model's versions on request, and drains on shutdown: no new work,
 * queued and running requests finish, then the caller may exit. A model that cannot be served fails alone; the
 * others serve.
 */
public final class WorkerRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WorkerRuntime.class);
    /**
     * How long a version taken out of routing still accepts requests before it drains: a request that looked it
     * up just before (and is still being decoded) must not be refused.
     */
    static final long UNROUTED_GRACE_MILLIS = 1000;

    private final Map<String, ServedModel> models = new LinkedHashMap<>();
    /** Models asked for by name: the worker is ready only when each of them serves. */
    private final Set<String> required;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Versions versions;
    private final Object reloadLock = new Object();
    private volatile boolean loaded;
    private volatile boolean draining;
    private volatile long httpUpEpochMs;

    /** Where a model's versions come from now, for {@link #reload}; and how a runtime is made for one. */
    public interface Versions {
        /** The model's versions as its source has them now; throws {@link IllegalArgumentException} to refuse. */
        List<ModelEntry> current(String model);

        ModelRuntime runtime(ModelEntry entry);

        /** A worker whose models have no source to reload from (catalog models only). */
        Versions NONE = new Versions() {
            @Override
            public List<ModelEntry> current(String model) {
                throw new IllegalArgumentException("model '" + model + "' does not come from a model repository; "
                        + "there is nothing to reload");
            }

            @Override
            public ModelRuntime runtime(ModelEntry entry) {
                throw new IllegalStateException("no runtime factory");
            }
        };
    }

    /**
     * @param required models asked for by name (a plan's assignment, {@code --models}): readiness waits for each,
     *                 since a replica missing one of its models must not take traffic. Models found by scanning a
     *                 repository folder are served when they can be; one that fails does not hold the others back.
     */
    public WorkerRuntime(List<ServedModel> models, WorkerMetrics metrics, Versions versions, Set<String> required) {
        this.versions = versions;
        this.required = Set.copyOf(required);
        for (ServedModel m : models) {
            this.models.put(m.name(), m);
            metrics.register(m);
        }
    }

    /** One version per model, nothing to reload (tests). */
    public static WorkerRuntime of(List<ModelRuntime> runtimes, WorkerMetrics metrics) {
        Map<String, List<ModelRuntime>> byName = new LinkedHashMap<>();
        runtimes.forEach(r -> byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r));
        return new WorkerRuntime(byName.entrySet().stream().map(e -> new ServedModel(e.getKey(), e.getValue(),
                Optional.empty())).toList(), metrics, Versions.NONE, byName.keySet());
    }

    /**
     * Loads and warms every model version on a background thread (each one that fails says why in the log);
     * {@code onDone} runs once all have been tried.
     */
    public void startAsync(Runnable onDone) {
        Thread.ofPlatform().name("model-loader").daemon(true).start(() -> {
            for (ModelRuntime m : models()) {
                m.start();
            }
            loaded = true;
            onDone.run();
        });
    }

    /** Records when the HTTP server started answering (epoch ms), for cold-start profiling. */
    public void httpUp(long epochMs) {
        httpUpEpochMs = epochMs;
    }

    /** When the HTTP server started answering (epoch ms), 0 if unknown. */
    public long httpUpEpochMs() {
        return httpUpEpochMs;
    }

    public Optional<ServedModel> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** The models by name. */
    public List<ServedModel> served() {
        return List.copyOf(models.values());
    }

    /** Every version of every model. */
    public List<ModelRuntime> models() {
        return models.values().stream().flatMap(m -> m.versions().stream()).toList();
    }

    /**
     * Ready to take traffic: the start-up load has finished, not draining, every model asked for by name serves
     * (its default version is READY), and some model serves. A model failed there keeps the worker not ready
     * (its readiness endpoint and requests say why); a repository model found by the scan that failed does not.
     */
    public boolean ready() {
        return loaded && !draining && failedRequired().isEmpty()
                && models().stream().anyMatch(m -> m.state() == ModelState.READY);
    }

    /** Models asked for by name that do not serve, once the start-up load has finished. */
    public List<String> failedRequired() {
        return !loaded ? List.of() : required.stream().filter(n -> models.get(n) == null
                || models.get(n).state() != ModelState.READY).sorted().toList();
    }

    /** True once the start-up load has finished with not a single version serving. */
    public boolean nothingServes() {
        return loaded && models().stream().noneMatch(m -> m.state() == ModelState.READY);
    }

    public boolean draining() {
        return draining;
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestEnded() {
        inFlight.decrementAndGet();
    }

    /** What a reload did, for the caller. */
    public record Reload(String model, List<String> loaded, List<String> failed, List<String> unloaded,
            String defaultVersion) {
    }

    /**
     * Brings a model's versions in line with its source: new versions are loaded and warmed while the current
     * default keeps serving (the default moves once a higher version is READY), versions gone from the source
     * leave routing and then drain and unload; {@code pin} sets ("2") or clears ("latest") the default. Reloads
     * run one at a time.
     *
     * @throws IllegalArgumentException when the model is unknown, its source refuses, or the pin names no READY
     *                                  version; nothing changes then
     */
    public Reload reload(String name, Optional<String> pin) throws InterruptedException {
        synchronized (reloadLock) {
            if (draining) {
                throw new IllegalStateException("worker is draining");
            }
            ServedModel model = model(name).orElseThrow(() -> new IllegalArgumentException("unknown model '" + name
                    + "'; this worker serves " + models.keySet()));
            List<ModelEntry> current = versions.current(name);
            Set<String> wanted = new TreeSet<>(ServedModel.VERSION_ORDER);
            current.forEach(e -> wanted.add(e.version()));
            if (pin.isPresent() && !pin.get().equals("latest") && !wanted.contains(pin.get())) {
                throw new IllegalArgumentException("model '" + name + "' has no version '" + pin.get()
                        + "' to make the default; its versions are " + wanted);
            }
            List<String> loadedNow = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (ModelEntry e : current) {
                Optional<ModelRuntime> present = model.version(e.version());
                if (present.isPresent() && present.get().state() != ModelState.FAILED) {
                    continue;
                }
                // A version that failed before is tried again: its file may have been fixed since.
                present.ifPresent(failedBefore -> model.remove(failedBefore.version()));
                ModelRuntime runtime = versions.runtime(e);
                // Loaded and warmed before it is listed: only then can it become the default.
                runtime.start();
                model.add(runtime);
                (runtime.state() == ModelState.READY ? loadedNow : failed).add(e.version());
            }
            if (pin.isPresent()) {
                if (pin.get().equals("latest")) {
                    model.pin(Optional.empty());
                } else if (model.version(pin.get()).map(ModelRuntime::state).orElse(null) != ModelState.READY) {
                    throw new IllegalArgumentException("version " + pin.get() + " of model '" + name + "' is not "
                            + "READY, so it cannot be the default: " + model.version(pin.get()).map(
                                    ModelRuntime::failure).orElse("not loaded"));
                } else {
                    model.pin(pin);
                }
            }
            List<ModelRuntime> gone = new ArrayList<>();
            for (String v : model.versionNames()) {
                if (!wanted.contains(v)) {
                    model.remove(v).ifPresent(gone::add);
                }
            }
            if (!gone.isEmpty()) {
                Thread.sleep(UNROUTED_GRACE_MILLIS);
                for (ModelRuntime r : gone) {
                    r.drain(java.util.concurrent.TimeUnit.SECONDS.toNanos(30));
                    r.close();
                }
            }
            Reload result = new Reload(name, loadedNow, failed, gone.stream().map(ModelRuntime::version).toList(),
                    model.defaultVersion().version());
            LOG.infof("model %s reloaded: loaded %s, failed %s, unloaded %s; default version %s", name, loadedNow,
                    failed, result.unloaded(), result.defaultVersion());
            return result;
        }
    }

    /**
     * Drains: marks every model DRAINING (new requests get 503), lets queued and running batches finish, and
     * waits until every request in flight has been answered, at most {@code timeoutMillis}.
     */
    public boolean drain(long timeoutMillis) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        boolean drained = true;
        for (ModelRuntime m : models()) {
            drained &= m.drain(Math.max(0, deadline - System.nanoTime()));
        }
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        drained &= inFlight.get() == 0;
        LOG.infof("drain %s; %d request(s) still in flight", drained ? "complete" : "timed out", inFlight.get());
        return drained;
    }

    @Override
    public void close() {
        models().forEach(ModelRuntime::close);
    }
}
