package dev.stratus.metrics;

import dev.stratus.core.model.ModelState;
import dev.stratus.dataplane.protocol.Outcome;
import dev.stratus.dataplane.worker.runtime.ServedModel;
import dev.stratus.dataplane.worker.runtime.WorkerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Worker metrics in Prometheus form (names in docs/metrics.md). Latency histograms use fixed buckets from
 * 1 ms to 2 s so that SLOs anywhere in that range can be read off them, and so that histograms of several
 * workers can be summed.
 */
public final class MicrometerWorkerMetrics implements WorkerMetrics {
    static final double[] LATENCY_BUCKETS_MS = {1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500,
            750, 1000, 1500, 2000};
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128};

    private final MeterRegistry registry;

    public MicrometerWorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void request(String model, Outcome outcome, long nanos) {
        Counter.builder("stratus.worker.requests").description("Inference requests by outcome")
                .tags("model", model, "outcome", outcome.label()).register(registry).increment();
        timer("stratus.worker.request.duration", "Time from receiving a request to answering it", model)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void queued(String model, long nanos) {
        timer("stratus.worker.queue.duration", "Time a request waited in its model's queue", model)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void batch(String model, int size, long nanos) {
        timer("stratus.worker.compute.duration", "Execution time of one batch", model)
                .record(nanos, TimeUnit.NANOSECONDS);
        DistributionSummary.builder("stratus.worker.batch.size").description("Items per executed batch")
                .tags("model", model).serviceLevelObjectives(BATCH_BUCKETS).register(registry).record(size);
    }

    @Override
    public void register(ServedModel model) {
        Gauge.builder("stratus.worker.pending.requests", model, ServedModel::pendingItems)
                .description("Items queued or executing").tags("model", model.name()).register(registry);
        for (ModelState state : ModelState.values()) {
            Gauge.builder("stratus.worker.model.state", model, m -> m.state() == state ? 1 : 0)
                    .description("1 for the model's current lifecycle state").tags("model", model.name(),
                            "state", state.name()).register(registry);
        }
    }

    /** A latency timer with the SLO buckets shared by worker and gateway histograms. */
    static Timer timer(MeterRegistry registry, String name, String description, String model) {
        return Timer.builder(name).description(description).tags("model", model)
                .serviceLevelObjectives(Arrays.stream(LATENCY_BUCKETS_MS)
                        .mapToObj(ms -> Duration.ofNanos((long) (ms * 1_000_000))).toArray(Duration[]::new))
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(2))
                .register(registry);
    }

    private Timer timer(String name, String description, String model) {
        return timer(registry, name, description, model);
    }
}
