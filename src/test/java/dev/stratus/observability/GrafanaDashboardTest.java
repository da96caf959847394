package dev.stratus.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stratus.core.autoscaling.ScalingEvent;
import dev.stratus.core.slo.Rule;
import dev.stratus.core.slo.SloHistory;
import dev.stratus.core.slo.SloRules;
import dev.stratus.core.slo.SloTarget;
import dev.stratus.dataplane.gateway.SliVerdict;
import dev.stratus.metrics.ControlLoopMetrics;
import dev.stratus.metrics.MicrometerGatewayMetrics;
import dev.stratus.testing.Promtool;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Grafana dashboard, checked without Grafana: its structure, every query through promtool, and every
 * metric a query reads against what Stratus exports (a registry made of the real exporters, and the rule names).
 */
class GrafanaDashboardTest {
    @TempDir
    Path dir;

    @Test
    void structureIsAPortableDashboard() throws Exception {
        JsonNode d = GrafanaDashboard.read();
        assertEquals("stratus-slo", d.path("uid").asText(), "a fixed uid keeps links across re-provisioning");
        assertTrue(d.path("schemaVersion").asInt() >= 36, "schemaVersion " + d.path("schemaVersion"));
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : d.path("panels")) {
            assertTrue(ids.add(p.path("id").asInt()), "panel id " + p.path("id") + " used twice");
            assertEquals("${datasource}", p.path("datasource").path("uid").asText(), "panel " + p.path("title"));
            assertTrue(p.path("targets").size() > 0, "panel " + p.path("title") + " has no query");
        }
        JsonNode vars = d.path("templating").path("list");
        assertEquals("datasource", vars.get(0).path("type").asText());
        assertEquals("prometheus", vars.get(0).path("query").asText());
        assertEquals("model", vars.get(1).path("name").asText());
        assertEquals("${datasource}", vars.get(1).path("datasource").path("uid").asText());
        assertTrue(vars.get(1).path("multi").asBoolean() && vars.get(1).path("includeAll").asBoolean());
        List<String> titles = d.path("panels").findValuesAsText("title");
        for (String needed : List.of("Attainment (5m) vs objective", "Error budget remaining (30d)",
                "Burn rate by window", "Latency p50 / p99 vs SLO", "Goodput and shed", "Replicas by state",
                "Plan cost per hour")) {
            assertTrue(titles.contains(needed), "no panel '" + needed + "' in " + titles);
        }
        assertTrue(GrafanaDashboard.queries(d).stream().anyMatch(q -> q.where().startsWith("annotation")
                && q.expr().contains("stratus_scaling_events_total")), "scaling events as annotations");
    }

    @Test
    void everyQueryPassesPromtool() throws Exception {
        List<GrafanaDashboard.Query> queries = GrafanaDashboard.queries(GrafanaDashboard.read());
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
                    .append(queries.get(i).forModel(".+").replace("'", "''")).append("'\n");
        }
        Files.writeString(dir.resolve("dashboard-rules.yaml"), rules);
        Promtool.Result r = Promtool.run(dir, "check", "rules", "dashboard-rules.yaml");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("SUCCESS: " + queries.size() + " rules found"), r.output());
    }

    @Test
    void everyMetricAQueryReadsIsOneStratusExports() throws Exception {
        Set<String> exported = exportedNames();
        Set<String> missing = new TreeSet<>();
        for (GrafanaDashboard.Query q : GrafanaDashboard.queries(GrafanaDashboard.read())) {
            for (String name : GrafanaDashboard.metricNames(q.expr())) {
                if (!exported.contains(name)) {
                    missing.add(name + " (" + q.where() + ")");
                }
            }
        }
        assertEquals(Set.of(), missing, "exported: " + exported);
    }

    @Test
    void theMetricNameReaderFindsOnlyMetrics() {
        assertEquals(Set.of("a_total", "slo:objective:ratio", "b_bucket"), GrafanaDashboard.metricNames(
                "1 - max by (model, le) (rate(a_total{model=~\"x\", outcome=\"shed\"}[5m])) / ignoring (w) "
                        + "group_left slo:objective:ratio and histogram_quantile(0.99, b_bucket[1m]) > 1e3"));
    }

    /** Names on a real Prometheus registry fed by the real exporters, plus the generated rules' record names. */
    static Set<String> exportedNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerGatewayMetrics gateway = new MicrometerGatewayMetrics(registry);
        gateway.routes(Map.of("vad", 50.0));
        gateway.request("vad", "success", dev.stratus.dataplane.gateway.Served.CLOUD, SliVerdict.GOOD, 1_000_000);
        ControlLoopMetrics control = new ControlLoopMetrics(registry);
        control.refresh(ControlGauges.rows(ControlFixture.state(false), new SloHistory(Duration.ofMinutes(1)),
                ControlFixture.PROFILES, System.currentTimeMillis()));
        control.counting(e -> { }).record(new ScalingEvent(0, "vad@local-cpu", ScalingEvent.Kind.SCALE_UP, 1, 2, "x"));
        control.close();
        Set<String> names = new TreeSet<>();
        registry.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> names.add(l.substring(0, l.indexOf(l.contains("{") ? '{' : ' '))));
        for (Rule.Group g : SloRules.generate(List.of(new SloTarget("vad", 50, 0.99)))) {
            g.rules().stream().filter(r -> r instanceof Rule.Recording).forEach(r -> names.add(((Rule.Recording) r)
                    .record()));
        }
        return names;
    }
}
