package dev.stratus.simulation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.core.simulation.GroupResult;
import dev.stratus.core.simulation.ModelResult;
import dev.stratus.core.simulation.ScalingEvent;
import dev.stratus.core.simulation.SimResult;
import java.util.List;
import java.util.Locale;

/** Renders simulation results as a table per policy (and per model) or as JSON. */
public final class SimulationReport {
    private SimulationReport() {
    }

    public static String table(Scenario scenario, long seed, List<SimResult> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Scenario %s: %.0f s simulated, seed %d%n", scenario.name(),
                scenario.workload().durationSeconds(), seed));
        scenario.workload().models().forEach(m -> out.append(String.format(Locale.ROOT,
                "  %-12s SLO %.0f ms @ %.2f%%, arrivals %s%n", m.name(), m.sloMs(), m.targetAttainment() * 100,
                m.arrivals().describe())));
        out.append('\n');
        String header = "%-14s %9s %10s %10s %9s %6s %11s %9s %9s %10s %8s%n";
        out.append(String.format(Locale.ROOT, header, "POLICY", "COST $/h", "COST $", "REPLICA-h", "ATTAIN", "MET",
                "GOODPUT/s", "P50 ms", "P99 ms", "DROPS", "SCALING"));
        for (SimResult r : results) {
            double p50 = r.models().stream().mapToDouble(ModelResult::p50LatencyMs).max().orElse(0);
            double p99 = r.models().stream().mapToDouble(ModelResult::p99LatencyMs).max().orElse(0);
            boolean met = r.models().stream().allMatch(ModelResult::meetsTarget);
            out.append(String.format(Locale.ROOT, "%-14s %9.3f %10.4f %10.3f %8.3f%% %6s %11.1f %9.2f %9.2f %10d %8d%n",
                    r.policy(), r.costPerHour(), r.costDollars(), r.replicaHours(), r.attainment() * 100,
                    met ? "yes" : "NO", r.goodput(), p50, p99, r.dropped(), r.scalingEvents().size()));
        }
        out.append("\n(P50/P99: the worst model's; MET: every model reached its target attainment.)\n\nPer model:\n");
        String perModel = "%-14s %-12s %10s %9s %11s %9s %9s %10s %6s%n";
        out.append(String.format(Locale.ROOT, perModel, "POLICY", "MODEL", "REQUESTS", "ATTAIN", "GOODPUT/s", "P50 ms",
                "P99 ms", "DROPS", "BATCH"));
        for (SimResult r : results) {
            for (ModelResult m : r.models()) {
                out.append(String.format(Locale.ROOT, "%-14s %-12s %10d %8.3f%% %11.1f %9.2f %9.2f %10d %6.2f%n",
                        r.policy(), m.model(), m.requests(), m.attainment() * 100, m.goodput(r.durationSeconds()),
                        m.p50LatencyMs(), m.p99LatencyMs(), m.dropped(), m.meanBatch()));
            }
        }
        return out.toString();
    }

    public static String json(Scenario scenario, long seed, List<SimResult> results) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("scenario", scenario.name());
        root.put("seed", seed);
        root.put("durationSeconds", scenario.workload().durationSeconds());
        ArrayNode policies = root.putArray("policies");
        for (SimResult r : results) {
            ObjectNode p = policies.addObject();
            p.put("policy", r.policy());
            p.put("costPerHour", r.costPerHour());
            p.put("costDollars", r.costDollars());
            p.put("replicaHours", r.replicaHours());
            p.put("requests", r.requests());
            p.put("withinSlo", r.withinSlo());
            p.put("dropped", r.dropped());
            p.put("attainment", r.attainment());
            p.put("goodputPerSecond", r.goodput());
            p.put("scalingEvents", r.scalingEvents().size());
            ArrayNode models = p.putArray("models");
            for (ModelResult m : r.models()) {
                ObjectNode n = models.addObject();
                n.put("model", m.model());
                n.put("sloMs", m.sloMs());
                n.put("targetAttainment", m.targetAttainment());
                n.put("requests", m.requests());
                n.put("completed", m.completed());
                n.put("withinSlo", m.withinSlo());
                n.put("dropped", m.dropped());
                n.put("attainment", m.attainment());
                n.put("meetsTarget", m.meetsTarget());
                n.put("goodputPerSecond", m.goodput(r.durationSeconds()));
                n.put("minLatencyMs", m.minLatencyMs());
                n.put("meanLatencyMs", m.meanLatencyMs());
                n.put("p50LatencyMs", m.p50LatencyMs());
                n.put("p99LatencyMs", m.p99LatencyMs());
                n.put("maxLatencyMs", m.maxLatencyMs());
                n.put("meanBatch", m.meanBatch());
            }
            ArrayNode groups = p.putArray("groups");
            for (GroupResult g : r.groups()) {
                ObjectNode n = groups.addObject();
                n.put("pool", g.pool());
                n.putPOJO("models", g.models());
                n.put("costPerHour", g.costPerHour());
                n.put("replicaHours", g.replicaHours());
                n.put("costDollars", g.costDollars());
                n.put("initialReplicas", g.initialReplicas());
                n.put("finalReplicas", g.finalReplicas());
                n.put("peakReplicas", g.peakReplicas());
                n.put("utilisation", g.utilisation());
                n.put("dispatched", g.dispatched());
            }
            ArrayNode events = p.putArray("scaling");
            for (ScalingEvent e : r.scalingEvents()) {
                ObjectNode n = events.addObject();
                n.put("atSeconds", e.atSeconds());
                n.put("pool", e.pool());
                n.putPOJO("models", e.models());
                n.put("from", e.fromReplicas());
                n.put("to", e.toReplicas());
                n.put("reason", e.reason());
            }
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
