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
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Worker metrics in Prometheus form (names in docs/metrics.md). Each model's meters are made once, when the model
 * is registered; the request path only finds them. Latency histograms use the fixed {@link LatencyBuckets}.
 */
public final class MicrometerWorkerMetrics implements WorkerMetrics {
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128};

    private final MeterRegistry registry;
    private final Map<String, ModelMeters> models = new ConcurrentHashMap<>();

    public MicrometerWorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void request(String model, Outcome outcome, long nanos) {
        ModelMeters m = meters(model);
        m.outcomes.get(outcome).increment();
        m.requestDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void queued(String model, long nanos) {
        meters(model).queueDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void batch(String model, int size, long nanos) {
        ModelMeters m = meters(model);
        m.computeDuration.record(nanos, TimeUnit.NANOSECONDS);
        m.batchSize.record(size);
    }

    @Override
    public void register(ServedModel model) {
        meters(model.name());
        Gauge.builder("stratus.worker.pending.requests", model, ServedModel::pendingItems)
                .description("Items queued or executing").tags("model", model.name()).register(registry);
        for (ModelState state : ModelState.values()) {
            Gauge.builder("stratus.worker.model.state", model, m -> m.state() == state ? 1 : 0)
                    .description("1 for the model's current lifecycle state").tags("model", model.name(),
                            "state", state.name()).register(registry);
        }
    }

    /** The model's meters; made on first use (registration, normally), found afterwards. */
    private ModelMeters meters(String model) {
        ModelMeters m = models.get(model);
        return m != null ? m : models.computeIfAbsent(model, name -> new ModelMeters(registry, name));
    }

    private static final class ModelMeters {
        final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
        final Timer requestDuration;
        final Timer queueDuration;
        final Timer computeDuration;
        final DistributionSummary batchSize;

        ModelMeters(MeterRegistry registry, String model) {
            for (Outcome o : Outcome.values()) {
                outcomes.put(o, Counter.builder("stratus.worker.requests").description("Inference requests by outcome")
                        .tags("model", model, "outcome", o.label()).register(registry));
            }
            requestDuration = LatencyBuckets.timer("stratus.worker.request.duration")
                    .description("Time from receiving a request to answering it").tag("model", model)
                    .register(registry);
            queueDuration = LatencyBuckets.timer("stratus.worker.queue.duration")
                    .description("Time a request waited in its model's queue").tag("model", model).register(registry);
            computeDuration = LatencyBuckets.timer("stratus.worker.compute.duration")
                    .description("Execution time of one batch").tag("model", model).register(registry);
            batchSize = DistributionSummary.builder("stratus.worker.batch.size").description("Items per executed batch")
                    .tags("model", model).serviceLevelObjectives(BATCH_BUCKETS).register(registry);
        }
    }
}
