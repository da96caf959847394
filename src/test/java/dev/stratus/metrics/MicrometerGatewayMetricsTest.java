package dev.stratus.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.dataplane.gateway.GatewayMetrics;
import dev.stratus.dataplane.gateway.Served;
import dev.stratus.dataplane.gateway.SliVerdict;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's meters on a real Prometheus registry, read back from its text exposition. */
class MicrometerGatewayMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerGatewayMetrics metrics = new MicrometerGatewayMetrics(registry);

    private double value(String name, String... labels) {
        return PrometheusText.value(registry.scrape(), name, labels);
    }

    @Test
    void sliCountersFollowTheVerdicts() {
        metrics.routes(Map.of("vad", 40.0));
        metrics.request("vad", "success", Served.CLOUD, SliVerdict.GOOD, 5_000_000);
        metrics.request("vad", "success", Served.CLOUD, SliVerdict.BAD, 45_000_000);
        metrics.request("vad", GatewayMetrics.SHED, Served.SHED, SliVerdict.BAD, 100_000);
        metrics.request("vad", "invalid", Served.CLOUD, SliVerdict.EXCLUDED, 100_000);
        assertEquals(3, value("stratus_gateway_sli_requests_total", "model", "vad"));
        assertEquals(1, value("stratus_gateway_sli_good_requests_total", "model", "vad"));
        assertEquals(2, value("stratus_gateway_requests_total", "model", "vad", "outcome", "success"));
        assertEquals(1, value("stratus_gateway_requests_total", "model", "vad", "outcome", "shed"));
        assertEquals(1, value("stratus_gateway_requests_total", "model", "vad", "outcome", "invalid"));
        assertEquals(4, value("stratus_gateway_request_duration_seconds_count", "model", "vad"));
    }

    @Test
    void theLatencyHistogramHasTheModelsSloAsABucketEdge() {
        metrics.routes(Map.of("vad", 40.0, "ocr-cls", 120.0));
        metrics.request("vad", "success", Served.CLOUD, SliVerdict.GOOD, 39_000_000);
        metrics.request("vad", "success", Served.CLOUD, SliVerdict.BAD, 41_000_000);
        assertEquals(1, value("stratus_gateway_request_duration_seconds_bucket", "model", "vad", "le", "0.04"));
        assertEquals(2, value("stratus_gateway_request_duration_seconds_bucket", "model", "vad", "le", "0.05"));
        String text = registry.scrape();
        assertTrue(hasSeries(text, "stratus_gateway_request_duration_seconds_bucket", "ocr-cls", "0.12"), text);
        assertFalse(hasSeries(text, "stratus_gateway_request_duration_seconds_bucket", "ocr-cls", "0.04"),
                "each model's histogram has its own SLO edge");
    }

    private static boolean hasSeries(String text, String name, String model, String le) {
        return text.lines().anyMatch(l -> l.startsWith(name + "{") && l.contains("model=\"" + model + "\"")
                && l.contains("le=\"" + le + "\""));
    }

    @Test
    void metersAreMadeOnceNotPerRequest() {
        metrics.routes(Map.of("vad", 40.0));
        int meters = registry.getMeters().size();
        for (int i = 0; i < 1000; i++) {
            metrics.request("vad", i % 2 == 0 ? "success" : GatewayMetrics.SHED, i % 2 == 0 ? Served.CLOUD : Served.SHED,
                    SliVerdict.GOOD, 1_000_000);
            metrics.retry("vad");
            metrics.routes(Map.of("vad", 40.0)); // every routing change, same SLO: nothing made again
        }
        assertEquals(meters, registry.getMeters().size());
        assertEquals(1000, value("stratus_gateway_retries_total", "model", "vad"));
    }

    @Test
    void aChangedSloRemakesTheHistogramAndKeepsTheCounters() {
        metrics.routes(Map.of("vad", 40.0));
        metrics.request("vad", "success", Served.CLOUD, SliVerdict.GOOD, 1_000_000);
        metrics.routes(Map.of("vad", 60.0));
        metrics.request("vad", "success", Served.CLOUD, SliVerdict.GOOD, 1_000_000);
        assertEquals(2, value("stratus_gateway_sli_good_requests_total", "model", "vad"));
        assertEquals(1, value("stratus_gateway_request_duration_seconds_bucket", "model", "vad", "le", "0.06"));
        assertFalse(hasSeries(registry.scrape(), "stratus_gateway_request_duration_seconds_bucket", "vad", "0.04"));
    }

    @Test
    void aModelNoLongerRoutedLosesItsSeriesAndUnknownModelsMakeNone() {
        metrics.routes(Map.of("vad", 40.0));
        metrics.request("vad", "success", Served.CLOUD, SliVerdict.GOOD, 1_000_000);
        metrics.routes(Map.of());
        metrics.request("vad", "success", Served.CLOUD, SliVerdict.GOOD, 1_000_000);
        metrics.request("nope", "invalid", Served.CLOUD, SliVerdict.EXCLUDED, 1_000_000);
        metrics.retry("nope");
        String text = registry.scrape();
        assertFalse(text.contains("model=\"vad\""), text);
        assertFalse(text.contains("model=\"nope\""), text);
    }

    @Test
    void anEdgeSitesSeriesCarryItsSiteAndWhereEachRequestWasServed() {
        MicrometerGatewayMetrics edge = new MicrometerGatewayMetrics(registry, "store-17");
        metrics.routes(Map.of("vad", 40.0));
        edge.routes(Map.of("vad", 40.0));
        edge.request("vad", "success", Served.EDGE, SliVerdict.GOOD, 1_000_000);
        edge.request("vad", "success", Served.CLOUD, SliVerdict.GOOD, 9_000_000);
        edge.request("vad", "success", Served.CLOUD, SliVerdict.BAD, 90_000_000);
        edge.request("vad", GatewayMetrics.SHED, Served.SHED, SliVerdict.BAD, 100_000);
        metrics.request("vad", "success", Served.CLOUD, SliVerdict.EXCLUDED, 8_000_000); // relayed: the site counts it
        assertEquals(1, value("stratus_gateway_requests_total", "site", "store-17", "served", "edge",
                "outcome", "success"));
        assertEquals(2, value("stratus_gateway_requests_total", "site", "store-17", "served", "cloud",
                "outcome", "success"));
        assertEquals(1, value("stratus_gateway_requests_total", "site", "store-17", "served", "shed"));
        assertEquals(4, value("stratus_gateway_sli_requests_total", "site", "store-17"));
        assertEquals(2, value("stratus_gateway_sli_good_requests_total", "site", "store-17"));
        assertEquals(0, value("stratus_gateway_sli_requests_total", "site", "cloud"));
        assertEquals(1, value("stratus_gateway_requests_total", "site", "cloud", "served", "cloud",
                "outcome", "success"));
    }
}
