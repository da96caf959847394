package dev.stratus.dataplane.worker.runtime;

import dev.stratus.core.model.ModelState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The models of one worker process and the process-level lifecycle: loads and warms the models in the
 * background (the process is live at once, ready when every model is), tracks requests in flight, and drains
 * on shutdown: no new work, queued and running requests finish, then the caller may exit.
 */
public final class WorkerRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WorkerRuntime.class);

    private final Map<String, ModelRuntime> models = new LinkedHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private volatile long httpUpEpochMs;

    public WorkerRuntime(List<ModelRuntime> models, WorkerMetrics metrics) {
        for (ModelRuntime m : models) {
            this.models.put(m.name(), m);
            metrics.register(m);
        }
    }

    /**
     * Loads and warms every model on a background thread; {@code onFailure} hears of any model that fails,
     * {@code onReady} runs once every model is ready.
     */
    public void startAsync(Consumer<ModelRuntime> onFailure, Runnable onReady) {
        Thread.ofPlatform().name("model-loader").daemon(true).start(() -> {
            for (ModelRuntime m : models.values()) {
                m.start();
                if (m.state() == ModelState.FAILED) {
                    onFailure.accept(m);
                }
            }
            if (ready()) {
                onReady.run();
            }
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

    public Optional<ModelRuntime> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public List<ModelRuntime> models() {
        return List.copyOf(models.values());
    }

    /** Ready to take traffic: every model warmed and READY, and not draining. */
    public boolean ready() {
        return !draining && models.values().stream().allMatch(m -> m.state() == ModelState.READY);
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

    /**
     * Drains: marks every model DRAINING (new requests get 503), lets queued and running batches finish, and
     * waits until every request in flight has been answered, at most {@code timeoutMillis}.
     */
    public boolean drain(long timeoutMillis) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        boolean drained = true;
        for (ModelRuntime m : models.values()) {
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
        models.values().forEach(ModelRuntime::close);
    }
}
