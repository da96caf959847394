package dev.stratus.metrics;

import dev.stratus.dataplane.gateway.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * Gateway metrics in Prometheus form: {@code stratus_gateway_request_duration_seconds{model}} (client-side
 * latency with the worker histograms' SLO buckets), {@code stratus_gateway_requests_total{model,outcome}}
 * (outcome {@code shed} for early rejections) and {@code stratus_gateway_retries_total{model}}.
 */
public final class MicrometerGatewayMetrics implements GatewayMetrics {
    private final MeterRegistry registry;

    public MicrometerGatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void request(String model, String outcome, long nanos) {
        Counter.builder("stratus.gateway.requests").description("Requests answered by the gateway, by outcome")
                .tags("model", model, "outcome", outcome).register(registry).increment();
        MicrometerWorkerMetrics.timer(registry, "stratus.gateway.request.duration",
                "Time from receiving a request at the gateway to answering it", model)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void retry(String model) {
        Counter.builder("stratus.gateway.retries").description("Requests resent after their replica failed")
                .tags("model", model).register(registry).increment();
    }
}
