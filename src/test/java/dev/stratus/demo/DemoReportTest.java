package dev.stratus.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemoReportTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Spill NO_SPILL = new Spill(Map.of());

    static DemoReport report(String load, String events, List<DemoReport.PipelineStages> stages, Spill spill)
            throws Exception {
        return new DemoReport(JSON.readTree(load), JSON.readTree("{\"plan\": {\"policy\": \"min-cost\", "
                + "\"costPerHour\": 0.4}}"), JSON.readTree(events), List.of(), "<svg/>", stages, spill);
    }

    @Test
    void theFirstSecondsOfLoadAreReportedPerModel() throws Exception {
        // vad: 10 answered per second, the first two seconds with 4 late each; ocr: nothing answered yet.
        StringBuilder vad = new StringBuilder();
        for (int s = 0; s < 12; s++) {
            vad.append(s == 0 ? "" : ",").append(String.format("{\"second\": %d, \"completed\": 10, \"okWithinSlo\": %d}",
                    s, s < 2 ? 6 : 10));
        }
        DemoReport report = report("{\"series\": [{\"model\": \"vad\", \"seconds\": [" + vad + "]},"
                + " {\"model\": \"ocr\", \"seconds\": []}]}", "[]", List.of(), NO_SPILL);
        assertEquals("first 10 s of load: vad 92.0% (8 misses of 100), ocr 100.0% (0 misses of 0)",
                report.firstSeconds(10));
    }

    /** Events at seconds from the load's start (2026-12-04T22:00:00Z); only scaling actions during it are listed. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "before the load             | -5.0 | SCALE_UP     | ",
        "a promotion at the step     | 41.5 | PROMOTE_WARM | t+ 41.5 s  PROMOTE_WARM ocr-det  1 -> 2  why",
        "a scale-down after it       | 150.0| SCALE_DOWN   | t+150.0 s  SCALE_DOWN   ocr-det  2 -> 1  why",
        "a standby refill is no step | 45.0 | REFILL_WARM  | ",
        "a demotion to standby       | 151.0| DEMOTE_WARM  | t+151.0 s  DEMOTE_WARM  ocr-det  2 -> 1  why"})
    void theTimelineListsScalingActionsAtSecondsFromTheLoadsStart(String name, double at, String kind,
            String expected) throws Exception {
        long start = java.time.Instant.parse("2026-12-04T22:00:00Z").toEpochMilli();
        int from = kind.equals("SCALE_UP") || kind.equals("PROMOTE_WARM") || kind.equals("REFILL_WARM") ? 1 : 2;
        String events = String.format("[{\"atMillis\": %d, \"model\": \"ocr-det\", \"kind\": \"%s\", "
                + "\"fromReplicas\": %d, \"toReplicas\": %d, \"reason\": \"why\"}]", start + Math.round(at * 1000),
                kind, from, 3 - from);
        DemoReport report = report("{\"startedAt\": \"2026-12-04T22:00:00Z\"}", events, List.of(), NO_SPILL);
        assertEquals(expected == null ? List.of() : List.of(expected), report.timeline(), name);
    }

    /**
     * Cumulative buckets (upper bound in seconds, count) to quantiles, as Prometheus' histogram_quantile: linear
     * within the bucket the rank falls in, from 0 below the first bound, the last finite bound in +Inf.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "all in the first bucket      | 0.01:100,0.02:100,Inf:100 | 0.50 | 0.005",
        "rank inside the second       | 0.01:50,0.02:100,Inf:100  | 0.99 | 0.0198",
        "median on a bucket edge      | 0.01:50,0.02:100,Inf:100  | 0.50 | 0.01",
        "beyond the last finite bound | 0.01:10,0.02:90,Inf:100   | 0.99 | 0.02",
        "no observations              | 0.01:0,Inf:0              | 0.50 | NaN"})
    void quantilesAreInterpolatedWithinABucket(String name, String buckets, double q, double expected) {
        List<double[]> cumulative = java.util.Arrays.stream(buckets.split(",")).map(b -> b.split(":"))
                .map(b -> new double[] {b[0].equals("Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(b[0]),
                        Double.parseDouble(b[1])}).toList();
        assertEquals(expected, StageLatency.quantile(cumulative, q), 1e-9, name);
    }

    static final String BEFORE = """
            stratus_gateway_request_duration_seconds_bucket{model="ocr-det",site="cloud",le="0.05"} 10
            stratus_gateway_request_duration_seconds_bucket{model="ocr-det",site="cloud",le="0.1"} 20
            stratus_gateway_request_duration_seconds_bucket{model="ocr-det",site="cloud",le="+Inf"} 20
            stratus_gateway_request_duration_seconds_bucket{model="ocr-detector",site="cloud",le="+Inf"} 999
            stratus_gateway_requests_total{model="vad",outcome="ok",served="edge",site="shop"} 5
            stratus_gateway_requests_total{model="vad",outcome="ok",served="cloud",site="cloud"} 7
            """;
    static final String AFTER = """
            stratus_gateway_request_duration_seconds_bucket{model="ocr-det",site="cloud",le="0.05"} 10
            stratus_gateway_request_duration_seconds_bucket{model="ocr-det",site="cloud",le="0.1"} 120
            stratus_gateway_request_duration_seconds_bucket{model="ocr-det",site="cloud",le="+Inf"} 120
            stratus_gateway_request_duration_seconds_bucket{model="ocr-detector",site="cloud",le="+Inf"} 1999
            stratus_gateway_requests_total{model="vad",outcome="ok",served="edge",site="shop"} 95
            stratus_gateway_requests_total{model="vad",outcome="ok",served="cloud",site="shop"} 10
            stratus_gateway_requests_total{model="vad",outcome="ok",served="cloud",site="cloud"} 70
            """;

    @Test
    void aStagesLatencyIsTheLoadsOwnRequestsOnly() {
        // The warm-up's 20 requests (10 under 50 ms) are left out: the load's 100 all took 50..100 ms.
        StageLatency det = StageLatency.between("ocr-det", BEFORE, AFTER);
        assertEquals(100, det.count());
        assertEquals(75, det.p50Ms(), 1e-9);
        assertEquals(99.5, det.p99Ms(), 1e-9);
    }

    @Test
    void aHistogramMadeAnewMidRunCountsFromZeroAndItsBudgetEdgeIsLeftOut() {
        // Scrape 2: the plan changed the stage's budget; its histogram restarted with a 150 ms edge and 5 requests.
        String restarted = """
                stratus_gateway_request_duration_seconds_bucket{model="ocr-det",site="cloud",le="0.05"} 0
                stratus_gateway_request_duration_seconds_bucket{model="ocr-det",site="cloud",le="0.1"} 5
                stratus_gateway_request_duration_seconds_bucket{model="ocr-det",site="cloud",le="0.15"} 5
                stratus_gateway_request_duration_seconds_bucket{model="ocr-det",site="cloud",le="+Inf"} 5
                """;
        StageLatency det = StageLatency.over("ocr-det", List.of(BEFORE, AFTER, restarted));
        assertEquals(105, det.count(), "100 before the restart, 5 after");
        assertEquals(75, det.p50Ms(), 1e-9);
    }

    @Test
    void spillCountsWhatAnEdgeSiteForwardedToTheCloud() {
        assertEquals("spill to the cloud: shop 10 of 100 (10.0%)", Spill.between(BEFORE, AFTER).format());
        assertEquals("spill: none (no edge site in this configuration)", Spill.between("", "").format());
    }

    @Test
    void theReportShowsAttainmentFromTheFirstSecondStagesSpillAndTheTimelineInTextAndHtml() throws Exception {
        String load = """
                {"scenario": "demo", "elapsedSeconds": 180, "target": "http://127.0.0.1:8080",
                 "startedAt": "2026-12-04T22:00:00Z",
                 "models": [{"model": "ocr", "sloMs": 1500, "sent": 600, "ok": 600, "okWithinSlo": 598,
                             "attainment": 0.99667, "latency": {"p50Ms": 300, "p99Ms": 900}}],
                 "total": {"model": "all", "sloMs": null, "sent": 600, "attainment": 0.99667, "latency": {}},
                 "series": []}
                """;
        String events = "[{\"atMillis\": " + (java.time.Instant.parse("2026-12-04T22:00:00Z").toEpochMilli() + 42_000)
                + ", \"model\": \"ocr-det\", \"kind\": \"PROMOTE_WARM\", \"fromReplicas\": 1, \"toReplicas\": 2,"
                + " \"reason\": \"burst\"}]";
        DemoReport report = report(load, events, List.of(new DemoReport.PipelineStages("ocr",
                List.of(new StageLatency("ocr-det", 100, 75, 99.5, 400)))), NO_SPILL);
        String text = report.text();
        assertTrue(text.contains("ocr            1500     600     99.67%"), text);
        assertTrue(text.contains("from the first second of load"), text);
        assertTrue(text.contains("ocr stages: ocr-det p50 75 ms, p99 100 ms of a 400 ms budget (100 requests)"), text);
        assertTrue(text.contains("spill: none"), text);
        assertTrue(text.contains("t+ 42.0 s  PROMOTE_WARM ocr-det  1 -> 2  burst"), text);
        String html = report.html();
        assertTrue(html.contains("<td class=l>ocr-det</td><td>400</td><td>75</td><td>100</td><td>100</td>"), html);
        assertTrue(html.contains("PROMOTE_WARM ocr-det  1 -&gt; 2"), html);
        assertTrue(html.startsWith("<!doctype html>") && html.endsWith("</html>"), "one whole page");
    }
}
