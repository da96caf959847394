package dev.stratus.observability;

import dev.stratus.control.ControlService;
import dev.stratus.control.ServiceSpec;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupTarget;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.planning.ModelCosts;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.core.slo.SloHistory;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The control loop's gauges as plain rows (series, labels, value), computed from what the control service already
 * holds: the spec, the plan in force, its rates and fleet target, the fleet's replicas, the SLI history and the
 * profiles. A pure function of its inputs; {@code dev.stratus.metrics.ControlLoopMetrics} exports the rows.
 */
public final class ControlGauges {
    /** Every gauge series, with its Micrometer name (Prometheus: dots become underscores) and label names. */
    public enum Series {
        PLAN_COST("stratus.plan.cost.per.hour", "Cost per hour of every replica the plan in force runs"),
        MODEL_PLAN_COST("stratus.model.plan.cost.per.hour", "The plan's cost per hour for this model (shared "
                + "replicas split by rate)", "model"),
        PLANNED_RATE("stratus.model.planned.requests.per.second", "The request rate the plan in force was made for",
                "model"),
        OBSERVED_RATE("stratus.model.observed.requests.per.second", "Requests per second that reached the gateway "
                + "in the last control period (admitted or turned away)", "model"),
        REPLICAS("stratus.replicas", "Replicas by model, pool and state (serving, standby, starting, draining, "
                + "failed)", "model", "pool", "state"),
        WARM_POOL_TARGET("stratus.warm.pool.target.replicas", "Standby replicas the warm pool aims for", "model",
                "pool"),
        MODEL_MAX_REPLICAS("stratus.model.max.replicas", "The model's maximum serving replicas (scaling bound)",
                "model"),
        POOL_REPLICAS("stratus.pool.replicas", "Replicas occupying the pool (any state but failed)", "pool"),
        POOL_MAX_REPLICAS("stratus.pool.max.replicas", "The pool's capacity in replicas", "pool"),
        PLAN_INFEASIBLE("stratus.plan.infeasible", "1 while the last re-plan found no feasible plan and the fleet "
                + "was kept, else 0"),
        SLO_LATENCY("stratus.model.slo.latency.seconds", "The model's latency SLO", "model"),
        SLO_OBJECTIVE("stratus.model.slo.objective.ratio", "Share of requests that must meet the latency SLO",
                "model"),
        PROFILE_AGE("stratus.profile.age.seconds", "Age of the profile the plan uses for the model on a hardware "
                + "class", "model", "hardware");

        private final String meterName;
        private final String description;
        private final List<String> labels;

        Series(String meterName, String description, String... labels) {
            this.meterName = meterName;
            this.description = description;
            this.labels = List.of(labels);
        }

        public String meterName() {
            return meterName;
        }

        /** The name Prometheus shows. */
        public String prometheusName() {
            return meterName.replace('.', '_');
        }

        public String description() {
            return description;
        }

        public List<String> labels() {
            return labels;
        }
    }

    /** One gauge value. */
    public record Row(Series series, Map<String, String> labels, double value) {
        public Row {
            labels = Map.copyOf(labels);
            if (!labels.keySet().equals(java.util.Set.copyOf(series.labels()))) {
                throw new IllegalArgumentException(series + " needs labels " + series.labels() + ", got " + labels);
            }
        }
    }

    /** What the gauges read, captured at one moment. */
    public record State(ServiceSpec spec, Plan plan, Map<String, Double> plannedRates, FleetTarget target,
            boolean infeasible, List<Replica> replicas) {

        public static State of(ControlService control, List<Replica> replicas) {
            return new State(control.spec(), control.plan(), control.plannedRates(), control.target(),
                    control.planInfeasible().isPresent(), replicas);
        }
    }

    private ControlGauges() {
    }

    public static List<Row> rows(State s, SloHistory history, ProfileStore profiles, long nowMillis) {
        List<Row> rows = new ArrayList<>();
        List<Pool> pools = s.spec().request().pools();
        rows.add(new Row(Series.PLAN_COST, Map.of(), s.plan().costPerHour()));
        rows.add(new Row(Series.PLAN_INFEASIBLE, Map.of(), s.infeasible() ? 1 : 0));
        ModelCosts.perModel(s.plan(), pools).forEach((model, cost) ->
                rows.add(new Row(Series.MODEL_PLAN_COST, Map.of("model", model), cost)));
        for (ModelDemand m : s.spec().request().models()) {
            Map<String, String> model = Map.of("model", m.name());
            rows.add(new Row(Series.PLANNED_RATE, model, s.plannedRates().getOrDefault(m.name(), m.ratePerSecond())));
            rows.add(new Row(Series.OBSERVED_RATE, model, history.latest(m.name())
                    .map(SloHistory.Point::demandPerSecond).orElse(0.0)));
            rows.add(new Row(Series.MODEL_MAX_REPLICAS, model, s.spec().scaling(m.name()).maxReplicas()));
            m.ownSlo().ifPresent(slo -> {
                rows.add(new Row(Series.SLO_LATENCY, model, slo.latencyMs() / 1000));
                rows.add(new Row(Series.SLO_OBJECTIVE, model, slo.targetAttainment()));
            });
            for (Pool pool : s.spec().request().poolsFor(m)) {
                profiles.find(m.name(), pool.hardwareId()).flatMap(p -> ageSeconds(p.provenance().date(), nowMillis))
                        .ifPresent(age -> rows.add(new Row(Series.PROFILE_AGE, Map.of("model", m.name(), "hardware",
                                pool.hardwareId()), age)));
            }
        }
        rows.addAll(replicaRows(s));
        return dedupe(rows);
    }

    /** Replicas by (model, pool, state), every state present (0 included) for each group the target or fleet has. */
    private static List<Row> replicaRows(State s) {
        Map<List<String>, Integer> byKey = new LinkedHashMap<>();
        Map<String, Integer> byPool = new LinkedHashMap<>();
        Map<List<String>, Integer> warmTarget = new LinkedHashMap<>();
        for (Pool p : s.spec().request().pools()) {
            byPool.put(p.name(), 0);
        }
        for (GroupTarget g : s.target().groups()) {
            String pool = poolOf(g.spec().groupId());
            for (String model : g.spec().models()) {
                warmTarget.merge(List.of(model, pool), g.standby(), Integer::sum);
                for (ReplicaState state : ReplicaState.values()) {
                    byKey.putIfAbsent(List.of(model, pool, label(state)), 0);
                }
            }
        }
        for (Replica r : s.replicas()) {
            String pool = poolOf(r.groupId());
            for (String model : r.models()) {
                for (ReplicaState state : ReplicaState.values()) {
                    byKey.putIfAbsent(List.of(model, pool, label(state)), 0);
                }
                byKey.merge(List.of(model, pool, label(r.state())), 1, Integer::sum);
            }
            if (r.state() != ReplicaState.FAILED) {
                byPool.merge(pool, 1, Integer::sum);
            }
        }
        List<Row> rows = new ArrayList<>();
        byKey.forEach((k, n) -> rows.add(new Row(Series.REPLICAS, Map.of("model", k.get(0), "pool", k.get(1), "state",
                k.get(2)), n)));
        warmTarget.forEach((k, n) -> rows.add(new Row(Series.WARM_POOL_TARGET, Map.of("model", k.get(0), "pool",
                k.get(1)), n)));
        byPool.forEach((pool, n) -> rows.add(new Row(Series.POOL_REPLICAS, Map.of("pool", pool), n)));
        for (Pool p : s.spec().request().pools()) {
            rows.add(new Row(Series.POOL_MAX_REPLICAS, Map.of("pool", p.name()), p.maxReplicas()));
        }
        return rows;
    }

    /** The pool part of a group id ({@code <models>@<pool>}). */
    static String poolOf(String groupId) {
        int at = groupId.lastIndexOf('@');
        return at < 0 ? "" : groupId.substring(at + 1);
    }

    static String label(ReplicaState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static java.util.Optional<Double> ageSeconds(String isoDate, long nowMillis) {
        try {
            return java.util.Optional.of(Math.max(0, (nowMillis - Instant.parse(isoDate).toEpochMilli()) / 1000.0));
        } catch (DateTimeParseException | NullPointerException e) {
            return java.util.Optional.empty(); // a profile without a usable date has no age to show
        }
    }

    /** One row per (series, labels): the same profile may be reached through two pools of one hardware class. */
    private static List<Row> dedupe(List<Row> rows) {
        Map<List<Object>, Row> out = new LinkedHashMap<>();
        rows.forEach(r -> out.putIfAbsent(List.of(r.series(), r.labels()), r));
        return new ArrayList<>(out.values());
    }
}
