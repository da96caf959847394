package dev.stratus.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.slo.Rule;
import dev.stratus.core.slo.SloRules;
import dev.stratus.core.slo.SloTarget;
import dev.stratus.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated rules under the real {@code promtool}: {@code check rules} on both outputs, and {@code test rules}
 * with synthetic series that put every alert on each side of its boundary. The numbers here are worked out by hand
 * from the burn-rate table (page 14.4x over 1h and 5m, 6x over 6h and 30m; ticket 3x over 1d and 2h, 1x over 3d and
 * 6h), not taken from the generator.
 */
class RulesPromtoolTest {
    /** vad: 99 % within 50 ms (budget 1 %); ocr-cls: 99.9 % within 100 ms (budget 0.1 %). */
    static final List<SloTarget> TARGETS = List.of(new SloTarget("vad", 50, 0.99),
            new SloTarget("ocr-cls", 100, 0.999));
    static final int RATE = 1000; // requests per minute in every scenario

    @TempDir
    static Path dir;
    static List<Rule.Group> groups;

    @BeforeAll
    static void writeRules() throws Exception {
        groups = SloRules.generate(TARGETS);
        Files.writeString(dir.resolve("rules.yaml"), RuleDocuments.rulesFile(groups));
    }

    @Test
    void theRulesFilePassesPromtoolCheck() throws Exception {
        Promtool.Result r = Promtool.run(dir, "check", "rules", "rules.yaml");
        assertEquals(0, r.code(), r.output());
        long rules = groups.stream().mapToLong(g -> g.rules().size()).sum();
        assertTrue(r.output().contains("SUCCESS: " + rules + " rules found"), r.output());
    }

    @Test
    void thePrometheusRuleSpecHoldsTheSameRulesAndPassesPromtoolCheck() throws Exception {
        var resource = RuleDocuments.prometheusRule(groups, "stratus-slo", "monitoring", Map.of("release", "kps"));
        assertEquals("monitoring.coreos.com/v1", resource.path("apiVersion").asText());
        assertEquals("PrometheusRule", resource.path("kind").asText());
        assertEquals("kps", resource.path("metadata").path("labels").path("release").asText());
        assertEquals(RuleDocuments.rulesTree(groups), resource.path("spec"), "one generator, the same groups");
        Files.writeString(dir.resolve("spec.yaml"), RuleDocuments.yaml((com.fasterxml.jackson.databind.node.ObjectNode)
                resource.path("spec")));
        Promtool.Result r = Promtool.run(dir, "check", "rules", "spec.yaml");
        assertEquals(0, r.code(), r.output());
    }

    @Test
    void everyAlertFiresAndStaysQuietAtItsBoundaries() throws Exception {
        Promtool.Result r = Promtool.run(dir, "test", "rules", write("alerts-test.yaml", tests()),
                write("long-windows-test.yaml", longTests()));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void aWrongExpectationFails() throws Exception {
        // One expectation turned around: promtool must reject it, so the test above can fail.
        Promtool.Result r = Promtool.run(dir, "test", "rules", write("wrong-test.yaml", wrongTest()));
        assertNotEquals(0, r.code(), r.output());
        assertTrue(r.output().contains(SloRules.FAST_BURN_ALERT), r.output());
    }

    private static String write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
        return name;
    }

    // ---- the scenarios -------------------------------------------------------------------------------------------

    /** Minutes at a share of errors (of {@link #RATE} per minute). */
    record Phase(int minutes, double errorShare) {
    }

    record Expect(String evalTime, String alert, List<Map<String, String>> firing) {
    }

    record Scenario(String name, List<String> series, List<Expect> alerts, List<String> exprTests) {
    }

    static String tests() {
        List<Scenario> scenarios = new ArrayList<>();
        // Page, 14.4x over 1h and 5m (threshold 14.4 % for vad): five clean hours, then one at 15 % -> page. The 6h
        // ratio is 2.5 % (< 6 %): the second page row stays quiet. The 3d and 6h ratios (2.5 %) exceed 1x: ticket.
        scenarios.add(sli("page over 1h and 5m", "vad", List.of(new Phase(300, 0), new Phase(60, 0.15)),
                List.of(new Expect("6h", SloRules.FAST_BURN_ALERT, List.of(burn("vad", "page"))),
                        new Expect("6h", SloRules.SLOW_BURN_ALERT, List.of(burn("vad", "ticket")))),
                List.of(expr("slo:sli_error:ratio_rate1h{model=\"vad\"}", "6h", 0.15),
                        expr("slo:sli_error:ratio_rate6h{model=\"vad\"}", "6h", 0.025),
                        expr("slo:current_burn_rate:ratio{model=\"vad\"}", "6h", 15))));
        // Just under: 14 % for an hour is below 14.4x; 6h ratio 2.33 % is below 6x: no page.
        scenarios.add(sli("no page at 14 % for 1h", "vad", List.of(new Phase(300, 0), new Phase(60, 0.14)),
                List.of(new Expect("6h", SloRules.FAST_BURN_ALERT, List.of())),
                List.of()));
        // The short window resets the page: 20 min at 100 % errors ending 5 min before the end. While burning, 1h is
        // 33 % and 5m 100 %: page. Five clean minutes later the 5m ratio is 0: no page, though 1h is still 33 %
        // (and 6h, 5.6 %, stays under 6x).
        scenarios.add(sli("the page resets when the short window is clean", "vad",
                List.of(new Phase(335, 0), new Phase(20, 1.0), new Phase(5, 0)),
                List.of(new Expect("355m", SloRules.FAST_BURN_ALERT, List.of(burn("vad", "page"))),
                        new Expect("6h", SloRules.FAST_BURN_ALERT, List.of())),
                List.of(expr("slo:sli_error:ratio_rate5m{model=\"vad\"}", "6h", 0))));
        // Page, 6x over 6h and 30m (threshold 6 %): 7 % for six hours pages, 5 % does not (both under 14.4 %).
        // Six hours at 7 % are all of the 30-day window so far: burn rate 7, the budget overspent six times (-6).
        scenarios.add(sli("page over 6h and 30m", "vad", List.of(new Phase(360, 0.07)),
                List.of(new Expect("6h", SloRules.FAST_BURN_ALERT, List.of(burn("vad", "page")))),
                List.of(expr("slo:period_burn_rate:ratio{model=\"vad\"}", "6h", 7),
                        expr("slo:period_error_budget_remaining:ratio{model=\"vad\"}", "6h", -6))));
        scenarios.add(sli("no page at 5 % for 6h", "vad", List.of(new Phase(360, 0.05)),
                List.of(new Expect("6h", SloRules.FAST_BURN_ALERT, List.of()),
                        new Expect("6h", SloRules.SLOW_BURN_ALERT, List.of(burn("vad", "ticket")))), List.of()));
        // Each model has its own budget: ocr-cls (0.1 %) pages at 1.5 % over 1h and 5m, not at 1.4 %.
        scenarios.add(sli("a tighter objective pages sooner", "ocr-cls", List.of(new Phase(300, 0), new Phase(60, 0.015)),
                List.of(new Expect("6h", SloRules.FAST_BURN_ALERT, List.of(burn("ocr-cls", "page")))), List.of()));
        scenarios.add(sli("and not under its threshold", "ocr-cls", List.of(new Phase(300, 0), new Phase(60, 0.014)),
                List.of(new Expect("6h", SloRules.FAST_BURN_ALERT, List.of())), List.of()));
        // No traffic at all: ratios are undefined and nothing fires.
        scenarios.add(new Scenario("idle", List.of(series("stratus_gateway_sli_requests_total{model=\"vad\"}", "0x120"),
                series("stratus_gateway_sli_good_requests_total{model=\"vad\"}", "0x120")),
                List.of(new Expect("2h", SloRules.FAST_BURN_ALERT, List.of()),
                        new Expect("2h", SloRules.SLOW_BURN_ALERT, List.of())), List.of()));
        scenarios.addAll(fleetScenarios());
        return render(scenarios, "1m");
    }

    /**
     * Three days of series, evaluated every 10 minutes (every minute would take promtool minutes on two cores; the
     * ticket alert has no {@code for}, so the evaluation step does not change what it says).
     */
    static String longTests() {
        // Ticket, 1x over 3d and 6h (threshold 1 %): 1.1 % for three days opens a ticket and no page; 0.9 % nothing
        // (the 1d ratio, 0.9 %, is under 3x as well).
        return render(List.of(sli("ticket over 3d and 6h", "vad", List.of(new Phase(4320, 0.011)),
                        List.of(new Expect("3d", SloRules.SLOW_BURN_ALERT, List.of(burn("vad", "ticket"))),
                                new Expect("3d", SloRules.FAST_BURN_ALERT, List.of())), List.of()),
                sli("no ticket at 0.9 % for 3d", "vad", List.of(new Phase(4320, 0.009)),
                        List.of(new Expect("3d", SloRules.SLOW_BURN_ALERT, List.of())), List.of())), "10m");
    }

    /** One scenario with its expectation turned around. */
    static String wrongTest() {
        return render(List.of(sli("no page at 14 % for 1h, expected wrongly", "vad",
                List.of(new Phase(300, 0), new Phase(60, 0.14)),
                List.of(new Expect("6h", SloRules.FAST_BURN_ALERT, List.of(burn("vad", "page")))), List.of())), "1m");
    }

    static List<Scenario> fleetScenarios() {
        List<Scenario> out = new ArrayList<>();
        Map<String, String> vad = Map.of("model", "vad", "severity", "ticket");
        // Warm pool empty while scaling, for 2m: the pool (target 1) empties at 10m when a promotion serves a
        // scale-up. Pending at 11m, firing from 12m (2 minutes empty), not when the pool is refilled.
        out.add(new Scenario("warm pool empty while scaling", List.of(
                series("stratus_warm_pool_target_replicas{model=\"vad\",pool=\"local-cpu\"}", "1x30"),
                series("stratus_replicas{model=\"vad\",pool=\"local-cpu\",state=\"standby\"}", "1x9 0x10 1x10"),
                series("stratus_scaling_events_total{kind=\"promote_warm\",model=\"vad\"}", "0x9 1x20")),
                List.of(new Expect("9m", SloRules.WARM_POOL_EMPTY_ALERT, List.of()),
                        new Expect("11m", SloRules.WARM_POOL_EMPTY_ALERT, List.of()),
                        new Expect("12m", SloRules.WARM_POOL_EMPTY_ALERT, List.of(vad)),
                        new Expect("25m", SloRules.WARM_POOL_EMPTY_ALERT, List.of())), List.of()));
        // An empty pool with no scale-up is not this alert (e.g. warmPool 1 while the standby restarts).
        out.add(new Scenario("empty pool, no scaling", List.of(
                series("stratus_warm_pool_target_replicas{model=\"vad\",pool=\"local-cpu\"}", "1x30"),
                series("stratus_replicas{model=\"vad\",pool=\"local-cpu\",state=\"standby\"}", "0x30"),
                series("stratus_scaling_events_total{kind=\"promote_warm\",model=\"vad\"}", "3x30")),
                List.of(new Expect("20m", SloRules.WARM_POOL_EMPTY_ALERT, List.of())), List.of()));
        // At the model's maximum (3) for 10 minutes; below it, nothing.
        Map<String, String> vadPool = Map.of("model", "vad", "pool", "local-cpu", "severity", "ticket");
        out.add(new Scenario("model at its maximum replicas", List.of(
                series("stratus_replicas{model=\"vad\",pool=\"local-cpu\",state=\"serving\"}", "2x4 3x20"),
                series("stratus_model_max_replicas{model=\"vad\"}", "3x25")),
                List.of(new Expect("14m", SloRules.MODEL_AT_MAX_ALERT, List.of()),
                        new Expect("15m", SloRules.MODEL_AT_MAX_ALERT, List.of(vadPool))), List.of()));
        Map<String, String> pool = Map.of("pool", "local-cpu", "severity", "ticket");
        out.add(new Scenario("pool full", List.of(
                series("stratus_pool_replicas{pool=\"local-cpu\"}", "5x4 6x20"),
                series("stratus_pool_max_replicas{pool=\"local-cpu\"}", "6x25")),
                List.of(new Expect("14m", SloRules.POOL_AT_MAX_ALERT, List.of()),
                        new Expect("15m", SloRules.POOL_AT_MAX_ALERT, List.of(pool))), List.of()));
        out.add(new Scenario("no feasible plan", List.of(series("stratus_plan_infeasible", "0x4 1x1 0x4")),
                List.of(new Expect("5m", SloRules.PLAN_INFEASIBLE_ALERT, List.of()),
                        new Expect("6m", SloRules.PLAN_INFEASIBLE_ALERT, List.of(Map.of("severity", "ticket"))),
                        new Expect("7m", SloRules.PLAN_INFEASIBLE_ALERT, List.of())), List.of()));
        return out;
    }

    /** The SLI counters of one model through phases, as promtool's expanding notation. */
    static Scenario sli(String name, String model, List<Phase> phases, List<Expect> alerts, List<String> exprs) {
        StringBuilder total = new StringBuilder("0");
        StringBuilder good = new StringBuilder("0");
        long t = 0;
        long g = 0;
        for (Phase p : phases) {
            int bad = (int) Math.round(RATE * p.errorShare());
            t += RATE;
            g += RATE - bad;
            total.append(' ').append(t).append('+').append(RATE).append('x').append(p.minutes() - 1);
            good.append(' ').append(g).append('+').append(RATE - bad).append('x').append(p.minutes() - 1);
            t += (long) RATE * (p.minutes() - 1);
            g += (long) (RATE - bad) * (p.minutes() - 1);
        }
        return new Scenario(name, List.of(
                series("stratus_gateway_sli_requests_total{model=\"" + model + "\"}", total.toString()),
                series("stratus_gateway_sli_good_requests_total{model=\"" + model + "\"}", good.toString())),
                alerts, exprs);
    }

    static String series(String name, String values) {
        return "      - series: '" + name + "'\n        values: '" + values + "'\n";
    }

    /** A recorded series' value, summed over its labels and rounded to 4 decimals (float noise aside). */
    static String expr(String expr, String at, double value) {
        return "      - expr: 'round(sum(" + expr + "), 0.0001)'\n        eval_time: " + at + "\n        exp_samples:\n"
                + "          - value: " + value + "\n";
    }

    /** The labels a burn-rate alert of a model carries. */
    static Map<String, String> burn(String model, String severity) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("model", model);
        labels.put("severity", severity);
        labels.put("sloth_severity", severity);
        labels.put("sloth_id", "stratus-" + model + "-latency");
        labels.put("sloth_service", "stratus");
        labels.put("sloth_slo", model + "-latency");
        return labels;
    }

    static String render(List<Scenario> scenarios, String evaluationInterval) {
        StringBuilder y = new StringBuilder("rule_files:\n  - rules.yaml\nevaluation_interval: " + evaluationInterval
                + "\n");
        // promtool otherwise evaluates groups in map order: alerts could read the recordings of the previous step.
        y.append("group_eval_order:\n");
        groups.forEach(g -> y.append("  - ").append(g.name()).append('\n'));
        y.append("tests:\n");
        for (Scenario s : scenarios) {
            y.append("  # ").append(s.name()).append("\n  - interval: 1m\n    input_series:\n");
            s.series().forEach(y::append);
            y.append("    alert_rule_test:\n");
            for (Expect e : s.alerts()) {
                y.append("      - eval_time: ").append(e.evalTime()).append("\n        alertname: ").append(e.alert())
                        .append("\n        exp_alerts:");
                if (e.firing().isEmpty()) {
                    y.append(" []\n");
                    continue;
                }
                y.append('\n');
                for (Map<String, String> labels : e.firing()) {
                    y.append("          - exp_labels:\n");
                    labels.forEach((k, v) -> y.append("              ").append(k).append(": ").append(v).append('\n'));
                    y.append("            exp_annotations:\n");
                    annotations(e.alert(), labels).forEach((k, v) -> y.append("              ").append(k)
                            .append(": \"").append(v.replace("\"", "\\\"")).append("\"\n"));
                }
            }
            if (!s.exprTests().isEmpty()) {
                y.append("    promql_expr_test:\n");
                s.exprTests().forEach(y::append);
            }
        }
        return y.toString();
    }

    /** The alert's annotations as Prometheus renders them for these labels. */
    static Map<String, String> annotations(String alert, Map<String, String> labels) {
        Rule.Alert rule = groups.stream().flatMap(g -> g.rules().stream()).filter(r -> r instanceof Rule.Alert a
                        && a.alert().equals(alert) && a.labels().getOrDefault("model", labels.getOrDefault("model", ""))
                        .equals(labels.getOrDefault("model", "")))
                .map(Rule.Alert.class::cast).findFirst().orElseThrow(() -> new AssertionError("no alert " + alert));
        return rule.annotations().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> {
            String text = e.getValue();
            for (var l : labels.entrySet()) {
                text = text.replace("{{ $labels." + l.getKey() + " }}", l.getValue());
            }
            return text;
        }));
    }
}
