package dev.stratus.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stratus.dataplane.protocol.Outcome;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class MicrometerWorkerMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerWorkerMetrics metrics = new MicrometerWorkerMetrics(registry);

    @Test
    void metersAreMadeOnceAndKeepTheirNames() {
        metrics.request("vad", Outcome.SUCCESS, 2_000_000);
        int meters = registry.getMeters().size();
        for (int i = 0; i < 500; i++) {
            metrics.request("vad", Outcome.values()[i % Outcome.values().length], 2_000_000);
            metrics.queued("vad", 1_000_000);
            metrics.batch("vad", 4, 3_000_000);
        }
        assertEquals(meters, registry.getMeters().size());
        String text = registry.scrape();
        assertEquals(1 + 500 / Outcome.values().length + 1, PrometheusText.value(text, "stratus_worker_requests_total",
                "model", "vad", "outcome", "success"));
        assertEquals(501, PrometheusText.value(text, "stratus_worker_request_duration_seconds_count", "model", "vad"));
        assertEquals(500, PrometheusText.value(text, "stratus_worker_queue_duration_seconds_count", "model", "vad"));
        assertEquals(500, PrometheusText.value(text, "stratus_worker_compute_duration_seconds_bucket", "model", "vad",
                "le", "0.003"));
        assertEquals(500, PrometheusText.value(text, "stratus_worker_batch_size_bucket", "model", "vad", "le", "4.0"));
    }
}
