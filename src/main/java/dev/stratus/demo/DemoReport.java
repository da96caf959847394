package dev.stratus.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The demo's SLO report: a text table for the terminal and an HTML page with the load generator's latency and
 * throughput plot, replicas over time as an SVG chart, and the autoscaler's events.
 */
final class DemoReport {
    private final JsonNode load;
    private final JsonNode plan;
    private final JsonNode events;
    private final List<FleetSample> fleet;
    private final String loadPlotSvg;
    private final List<PipelineStages> pipelines;
    private final Spill spill;

    /** A pipeline's stages in DAG order with their latency over the load. */
    record PipelineStages(String pipeline, List<StageLatency> stages) {
    }

    /** The scaling actions the report lists as the run's timeline (standby refills and re-plans left out). */
    static final Set<String> TIMELINE_KINDS = Set.of("SCALE_UP", "PROMOTE_WARM", "START_COLD", "SCALE_DOWN",
            "DEMOTE_WARM", "DRAIN");

    DemoReport(JsonNode load, JsonNode plan, JsonNode events, List<FleetSample> fleet, String loadPlotSvg,
            List<PipelineStages> pipelines, Spill spill) {
        this.load = load;
        this.plan = plan;
        this.events = events;
        this.fleet = fleet;
        this.loadPlotSvg = loadPlotSvg;
        this.pipelines = pipelines;
        this.spill = spill;
    }

    /**
     * The scaling actions during the load, at seconds from its first request (the load generator's start), in
     * order: what promoted a standby when the step came and what scaled down after it.
     */
    List<String> timeline() {
        long start = java.time.Instant.parse(load.path("startedAt").asText()).toEpochMilli();
        List<String> lines = new ArrayList<>();
        for (JsonNode e : events) {
            long at = e.path("atMillis").asLong();
            if (at >= start && TIMELINE_KINDS.contains(e.path("kind").asText())) {
                lines.add(String.format(Locale.ROOT, "t+%5.1f s  %-12s %-8s %d -> %d  %s", (at - start) / 1000.0,
                        e.path("kind").asText(), e.path("model").asText(), e.path("fromReplicas").asInt(),
                        e.path("toReplicas").asInt(), e.path("reason").asText()));
            }
        }
        return lines;
    }

    /** Per pipeline, its stages' latency at the gateway over the load, against their planned budgets. */
    List<String> stageLines() {
        List<String> lines = new ArrayList<>();
        for (PipelineStages p : pipelines) {
            lines.add(p.pipeline() + " stages: " + String.join("; ", p.stages().stream().map(StageLatency::format)
                    .toList()));
        }
        return lines;
    }

    String text() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%nSLO report (%s, %.0f s)%n", load.path("scenario").asText(),
                load.path("elapsedSeconds").asDouble()));
        s.append(String.format(Locale.ROOT, "%-10s %8s %7s %10s %9s %9s %12s %7s %7s%n", "model", "SLO ms", "sent",
                "attained", "p50 ms", "p99 ms", "goodput/s", "shed", "errors"));
        for (JsonNode m : load.path("models")) {
            s.append(row(m));
        }
        s.append(row(load.path("total")));
        s.append("attainment: requests answered within the SLO / requests sent, from the first second of load\n");
        s.append(firstSeconds(10)).append('\n');
        stageLines().forEach(l -> s.append(l).append('\n'));
        s.append(spill.format()).append('\n');
        List<String> timeline = timeline();
        s.append(timeline.isEmpty() ? "no scaling during the load\n" : "scaling during the load:\n");
        timeline.forEach(l -> s.append("  ").append(l).append('\n'));
        for (String group : groups()) {
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (FleetSample f : fleet) {
                min = Math.min(min, f.count(group, "SERVING"));
                max = Math.max(max, f.count(group, "SERVING"));
            }
            s.append(String.format(Locale.ROOT, "replicas of %s: serving %d..%d over the run%n", group,
                    min == Integer.MAX_VALUE ? 0 : min, max));
        }
        s.append(String.format(Locale.ROOT, "plan: %s, cost %.3f per hour; scaling events: %d (%s)%n",
                plan.path("plan").path("policy").asText(), plan.path("plan").path("costPerHour").asDouble(),
                events.size(), eventKinds()));
        return s.toString();
    }

    private static String row(JsonNode m) {
        JsonNode lat = m.path("latency");
        return String.format(Locale.ROOT, "%-10s %8s %7d %9.2f%% %9.1f %9.1f %12.1f %7d %7d%n",
                m.path("model").asText(), m.path("sloMs").isNull() ? "-" : String.format("%.0f", m.path("sloMs")
                        .asDouble()), m.path("sent").asLong(), 100 * m.path("attainment").asDouble(),
                lat.path("p50Ms").asDouble(), lat.path("p99Ms").asDouble(), m.path("goodputPerSecond").asDouble(),
                m.path("shed").asLong(), m.path("errors").asLong() + m.path("deadline").asLong());
    }

    /**
     * SLO attainment over the first seconds of the load, per model: what a freshly started system gives its first
     * users (replicas still warming or starting beside the serving ones show up here first).
     */
    String firstSeconds(int seconds) {
        List<String> parts = new ArrayList<>();
        for (JsonNode series : load.path("series")) {
            long completed = 0;
            long good = 0;
            for (JsonNode sec : series.path("seconds")) {
                if (sec.path("second").asInt() < seconds) {
                    completed += sec.path("completed").asLong();
                    good += sec.path("okWithinSlo").asLong();
                }
            }
            parts.add(String.format(Locale.ROOT, "%s %.1f%% (%d misses of %d)", series.path("model").asText(),
                    completed == 0 ? 100.0 : 100.0 * good / completed, completed - good, completed));
        }
        return String.format(Locale.ROOT, "first %d s of load: %s", seconds, String.join(", ", parts));
    }

    private String eventKinds() {
        TreeSet<String> kinds = new TreeSet<>();
        events.forEach(e -> kinds.add(e.path("kind").asText()));
        return String.join(", ", kinds);
    }

    private List<String> groups() {
        TreeSet<String> g = new TreeSet<>();
        fleet.forEach(f -> g.addAll(f.byGroupAndState().keySet()));
        return new ArrayList<>(g);
    }

    String html() {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Stratus demo"
                + "</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:"
                + "collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}"
                + "td.l{text-align:left}pre{white-space:pre-wrap}</style></head><body><h1>Stratus demo: SLO report</h1>");
        h.append("<p>Scenario <b>").append(esc(load.path("scenario").asText())).append("</b>, ")
                .append(String.format(Locale.ROOT, "%.0f s", load.path("elapsedSeconds").asDouble()))
                .append(", against the gateway at ").append(esc(load.path("target").asText())).append(".</p>");
        h.append("<table><tr><th>model</th><th>SLO ms</th><th>sent</th><th>attainment</th><th>p50 ms</th>"
                + "<th>p99 ms</th><th>goodput/s</th><th>shed</th><th>errors</th></tr>");
        List<JsonNode> rows = new ArrayList<>();
        load.path("models").forEach(rows::add);
        rows.add(load.path("total"));
        for (JsonNode m : rows) {
            JsonNode lat = m.path("latency");
            h.append(String.format(Locale.ROOT, "<tr><td class=l>%s</td><td>%s</td><td>%d</td><td>%.2f%%</td>"
                            + "<td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%d</td><td>%d</td></tr>",
                    esc(m.path("model").asText()), m.path("sloMs").isNull() ? "-" : m.path("sloMs").asText(),
                    m.path("sent").asLong(), 100 * m.path("attainment").asDouble(), lat.path("p50Ms").asDouble(),
                    lat.path("p99Ms").asDouble(), m.path("goodputPerSecond").asDouble(), m.path("shed").asLong(),
                    m.path("errors").asLong() + m.path("deadline").asLong()));
        }
        h.append("</table><p>Attainment: requests answered within the SLO / requests sent, counted from the first"
                + " second of load. ").append(esc(firstSeconds(10))).append(".</p>");
        for (PipelineStages p : pipelines) {
            h.append("<h2>Pipeline ").append(esc(p.pipeline())).append(": stages</h2><table><tr><th>stage</th>"
                    + "<th>budget ms</th><th>p50 ms</th><th>p99 ms</th><th>requests</th></tr>");
            for (StageLatency st : p.stages()) {
                h.append(String.format(Locale.ROOT, "<tr><td class=l>%s</td><td>%.0f</td><td>%.0f</td><td>%.0f</td>"
                        + "<td>%d</td></tr>", esc(st.model()), st.budgetMs(), st.p50Ms(), st.p99Ms(), st.count()));
            }
            h.append("</table><p>Stage latency at the gateway over the load, interpolated within the buckets of "
                    + "<code>stratus_gateway_request_duration_seconds</code>.</p>");
        }
        h.append("<p>").append(esc(spill.format())).append(".</p>");
        h.append("<h2>Scaling during the load</h2>");
        List<String> timeline = timeline();
        h.append(timeline.isEmpty() ? "<p>none</p>" : "<pre>" + esc(String.join("\n", timeline)) + "</pre>");
        h.append(String.format(Locale.ROOT, "<p>Plan: policy %s, <b>%.3f per hour</b>.</p>",
                esc(plan.path("plan").path("policy").asText()), plan.path("plan").path("costPerHour").asDouble()));
        h.append("<h2>Latency and throughput</h2>").append(loadPlotSvg.replaceFirst("<\\?xml[^>]*>", ""));
        h.append("<h2>Replicas over time</h2>").append(replicaChart());
        h.append("<h2>Autoscaler events</h2><table><tr><th>time</th><th>group</th><th>kind</th><th>from</th>"
                + "<th>to</th><th>reason</th></tr>");
        for (JsonNode e : events) {
            h.append("<tr><td>").append(java.time.Instant.ofEpochMilli(e.path("atMillis").asLong())).append("</td>")
                    .append("<td class=l>").append(esc(e.path("model").asText())).append("</td><td class=l>")
                    .append(esc(e.path("kind").asText())).append("</td><td>").append(e.path("fromReplicas").asInt())
                    .append("</td><td>").append(e.path("toReplicas").asInt()).append("</td><td class=l>")
                    .append(esc(e.path("reason").asText())).append("</td></tr>");
        }
        return h.append("</table></body></html>").toString();
    }

    /** Serving and standby replicas per group, as step lines. */
    private String replicaChart() {
        int w = 1000;
        // Legend entries (a group's serving and standby) four to a row above the plot: a pipeline's stages and a
        // model make eight.
        int perRow = 4;
        int top = 8 + 16 * (int) Math.ceil(2.0 * groups().size() / perRow);
        int hgt = 240 + top;
        int left = 50;
        int bottom = 30;
        double maxT = fleet.isEmpty() ? 1 : Math.max(1, fleet.get(fleet.size() - 1).atSeconds());
        int maxN = 1;
        for (FleetSample f : fleet) {
            for (String g : f.byGroupAndState().keySet()) {
                maxN = Math.max(maxN, f.count(g, "SERVING") + f.count(g, "STANDBY") + f.count(g, "STARTING"));
            }
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"12\">", w, hgt));
        double plotW = w - left - 20;
        double plotH = hgt - bottom - top;
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>",
                left, top + plotH, left + plotW, top + plotH));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.0f\" stroke=\"black\"/>", left,
                top, left, top + plotH));
        for (int n = 0; n <= maxN; n++) {
            double y = top + plotH - plotH * n / maxN;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.0f\" text-anchor=\"end\">%d</text>", left - 5,
                    y + 4, n));
        }
        for (int t = 0; t <= maxT; t += Math.max(1, (int) (maxT / 10))) {
            double x = left + plotW * t / maxT;
            s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%ds</text>", x,
                    top + plotH + 18, t));
        }
        String[] colours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
        int i = 0;
        for (String g : groups()) {
            for (String state : List.of("SERVING", "STANDBY")) {
                StringBuilder points = new StringBuilder();
                double prevY = -1;
                for (FleetSample f : fleet) {
                    double x = left + plotW * f.atSeconds() / maxT;
                    double y = top + plotH - plotH * f.count(g, state) / maxN - (state.equals("STANDBY") ? 2 : 0);
                    if (prevY >= 0) {
                        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, prevY));
                    }
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    prevY = y;
                }
                String colour = colours[(i / 2) % colours.length]; // one colour per group; standby dashed
                s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s "
                        + "points=\"%s\"/>", colour, state.equals("STANDBY") ? " stroke-dasharray=\"5,4\"" : "", points));
                s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" fill=\"%s\">%s %s</text>",
                        left + 10 + 240.0 * (i % perRow), 14 + 16 * (i / perRow), colour, esc(g),
                        state.toLowerCase(Locale.ROOT)));
                i++;
            }
        }
        return s.append("</svg>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
