package dev.stratus.control;

import dev.stratus.core.autoscaling.Decision;
import dev.stratus.core.autoscaling.EventLog;
import dev.stratus.core.autoscaling.Forecast;
import dev.stratus.core.autoscaling.ForecastSettings;
import dev.stratus.core.autoscaling.LatencyFeedback;
import dev.stratus.core.autoscaling.LoadForecaster;
import dev.stratus.core.autoscaling.LoadObservation;
import dev.stratus.core.autoscaling.ReplanRule;
import dev.stratus.core.autoscaling.ReplicaBounds;
import dev.stratus.core.autoscaling.ReplicaTarget;
import dev.stratus.core.autoscaling.ScalingEvent;
import dev.stratus.core.autoscaling.WarmPoolPolicy;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupTarget;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanTuple;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.planning.Planner;
import dev.stratus.core.planning.PlannerSettings;
import dev.stratus.core.planning.PlanningException;
import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.port.Clock;
import dev.stratus.core.port.EventSink;
import dev.stratus.core.port.FleetObserver;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.core.port.RoutePublisher;
import dev.stratus.core.port.WorkerFleet;
import dev.stratus.core.profiling.LatencyCurve;
import dev.stratus.dataplane.gateway.Gateway;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The control loop of the local system: plans the fleet from the models' expected load, realises the plan
 * through the {@link WorkerFleet}, keeps the gateway's routing in step with the fleet, and every period
 * observes each model's demand at the gateway, forecasts it, and re-plans when it moves past the hysteresis
 * band. Scale-up is served from the warm pool (the fleet promotes standbys), which is then refilled.
 */
public final class ControlService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlService.class);

    /**
     * On one machine every replica shares the same cores, so an extra standby started during a burst takes CPU
     * from the replicas serving it: the local backend keeps the configured pool without the burst extra.
     */
    public static final WarmPoolPolicy LOCAL_WARM_POOL = new WarmPoolPolicy(0, WarmPoolPolicy.DEFAULT.stepMemoryMillis());

    /** Loop period, planning policy and the autoscaling rules (the forecaster's constants among them). */
    public record Settings(long periodMillis, String policy, boolean colocation, ReplanRule rule,
            WarmPoolPolicy warmPool, ForecastSettings forecast) {
        public Settings(long periodMillis, String policy, boolean colocation, ReplanRule rule,
                WarmPoolPolicy warmPool) {
            this(periodMillis, policy, colocation, rule, warmPool, ForecastSettings.DEFAULT);
        }

        /**
         * Co-location is off by default on the local backend: a re-plan that regroups models would replace
         * processes (a cold start) where scaling a dedicated group promotes a warm standby.
         */
        public static final Settings DEFAULT = new Settings(2000, "stratus", false, ReplanRule.DEFAULT,
                LOCAL_WARM_POOL);
    }

    /**
     * Everything the loop acts through: the backend's fleet, what it observes of the traffic, where routes go,
     * where events go (and the history it reads back for the warm-pool rule), and the clock. Local mode wires
     * these to processes and the in-process gateway; the operator to pods and Kubernetes Events.
     */
    public record Ports(WorkerFleet fleet, FleetObserver observer, RoutePublisher routes, EventSink events,
            EventLog history, Clock clock) {
        /** The local wiring: the gateway in this process observes and routes; events go to the log only. */
        public static Ports local(WorkerFleet fleet, Gateway gateway, EventLog history) {
            return new Ports(fleet, gateway.observer(), gateway, history::record, history, Clock.SYSTEM);
        }
    }

    private final ProfileStore profiles;
    private final WorkerFleet fleet;
    private final FleetObserver observer;
    private final RoutePublisher routes;
    private final EventSink events;
    private final EventLog history;
    private final Clock clock;
    private final Settings settings;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("control-loop").daemon(true).unstarted(r));
    private final Map<String, LoadForecaster> forecasters = new HashMap<>();
    private final Map<String, Long> lastChange = new HashMap<>();
    private final Map<String, Forecast> lastForecast = new HashMap<>();
    /** Corrects the profiles' latencies from the observed p99 (loop thread only). */
    private final LatencyFeedback latencyFeedback = new LatencyFeedback();
    /** Its factors as planned with, for any thread (what-if plans come from API threads). */
    private volatile Map<String, Double> latencyFactors = Map.of();
    private volatile ServiceSpec spec;
    private volatile Map<String, Double> plannedRates = Map.of();
    private volatile Plan plan;
    private volatile FleetTarget target = FleetTarget.EMPTY;
    private volatile Map<String, WorkerGroupSpec> groups = Map.of();
    /** Why the last re-plan found no feasible plan, while the fleet it kept stands; null after a plan applies. */
    private volatile String infeasible;
    private long lastTickMillis;

    public ControlService(ServiceSpec spec, ProfileStore profiles, Ports ports, Settings settings) {
        this.spec = spec;
        this.profiles = profiles;
        this.fleet = ports.fleet();
        this.observer = ports.observer();
        this.routes = ports.routes();
        this.events = ports.events();
        this.history = ports.history();
        this.clock = ports.clock();
        this.settings = settings;
        fleet.onChange(this::reroute);
    }

    /** Plans for the expected rates, applies the plan and starts the loop. Throws when the plan is infeasible. */
    public void start() {
        Map<String, Double> rates = new LinkedHashMap<>();
        spec.request().models().forEach(m -> rates.put(m.name(), m.ratePerSecond()));
        spec.request().pipelines().forEach(p -> rates.put(p.name(), p.ratePerSecond()));
        apply(rates, "initial plan for the expected load");
        // The expected load stands until the scale-down interval has passed, like any other plan.
        long now = clock.millis();
        rates.keySet().forEach(name -> lastChange.put(name, now));
        lastTickMillis = now;
        loop.scheduleAtFixedRate(this::tickSafely, settings.periodMillis(), settings.periodMillis(),
                TimeUnit.MILLISECONDS);
    }

    public Plan plan() {
        return plan;
    }

    public ServiceSpec spec() {
        return spec;
    }

    public FleetTarget target() {
        return target;
    }

    public Map<String, Double> plannedRates() {
        return plannedRates;
    }

    /** Why the last re-plan was infeasible, while the fleet it kept stands (empty once a plan applies again). */
    public java.util.Optional<String> planInfeasible() {
        return java.util.Optional.ofNullable(infeasible);
    }

    public Map<String, Forecast> forecasts() {
        synchronized (lastForecast) {
            return Map.copyOf(lastForecast);
        }
    }

    /** What the plan and its cost would be at other rates, without applying it. */
    public Plan whatIf(Map<String, Double> rates) {
        return planFor(spec, rates);
    }

    /** Replaces the models, pools and pipelines (admin API changes); applied by the loop at once. */
    public void update(ServiceSpec next) {
        update(next, "resources changed through the admin API");
    }

    /**
     * Replaces the models, pools and pipelines, with the reason the events give (the admin API, the operator's
     * reconcilers); applied by the loop at once. Throws {@link PlanningException} and changes nothing when the new
     * set cannot be planned.
     */
    public void update(ServiceSpec next, String reason) {
        runOnLoop(() -> {
            ServiceSpec previous = spec;
            Map<String, Double> rates = new LinkedHashMap<>();
            next.request().models().forEach(m -> rates.put(m.name(), previous.request().models().stream()
                    .anyMatch(p -> p.name().equals(m.name())) ? plannedRates.getOrDefault(m.name(), m.ratePerSecond())
                    : m.ratePerSecond()));
            next.request().pipelines().forEach(p -> rates.put(p.name(), previous.request().pipelines().stream()
                    .anyMatch(o -> o.name().equals(p.name())) ? plannedRates.getOrDefault(p.name(), p.ratePerSecond())
                    : p.ratePerSecond()));
            Plan candidate = planFor(next, rates); // throws when infeasible: nothing changes then
            spec = next;
            realise(candidate, rates, reason);
        });
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.errorf(e, "control loop tick failed; next period retries");
        }
    }

    private void tick() {
        long now = clock.millis();
        double interval = Math.max(0.001, (now - lastTickMillis) / 1000.0);
        lastTickMillis = now;
        Map<String, Double> rates = new LinkedHashMap<>(plannedRates);
        List<String> reasons = new ArrayList<>();
        // Models by the requests sent to them directly, pipelines by theirs: a stage's load comes from its pipeline.
        Map<String, Double> expected = new LinkedHashMap<>();
        spec.request().models().forEach(m -> expected.put(m.name(), m.ratePerSecond()));
        spec.request().pipelines().forEach(p -> expected.put(p.name(), p.ratePerSecond()));
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            String name = e.getKey();
            TrafficSample traffic = observer.sample(name);
            LoadObservation obs = new LoadObservation(name, now, interval, traffic.admitted(), traffic.shed(),
                    traffic.p99Ms(), traffic.inFlight());
            Forecast f = forecasters.computeIfAbsent(name, n -> new LoadForecaster(n, settings.forecast()))
                    .observe(obs);
            synchronized (lastForecast) {
                lastForecast.put(name, f);
            }
            double current = plannedRates.getOrDefault(name, e.getValue());
            Decision d = settings.rule().decide(name, current, f, now, lastChange.getOrDefault(name, Long.MIN_VALUE));
            if (d.replan()) {
                rates.put(name, Math.max(d.newRate(), 0.0));
                reasons.add(d.reason());
            }
            // The latency feedback is the models' own (a pipeline's latency is its stages').
            spec.request().models().stream().filter(m -> m.name().equals(name)).findFirst()
                    .flatMap(m -> correctLatency(m, traffic, now, interval, current)).ifPresent(reasons::add);
        }
        if (!reasons.isEmpty()) {
            try {
                apply(rates, String.join("; ", reasons));
            } catch (PlanningException e) {
                infeasible = e.getMessage();
                events.record(new ScalingEvent(now, e.subject(), ScalingEvent.Kind.REPLAN, 0, 0,
                        "no feasible plan for the forecast load, keeping the current fleet: " + e.getMessage()));
            }
        }
    }

    /**
     * Feeds the model's observed p99 and attainment to the latency feedback against the plan's prediction, on the
     * pool carrying most of its load; a correction of the profile is a reason to re-plan (with the new factor).
     */
    private Optional<String> correctLatency(ModelDemand m, TrafficSample traffic, long now, double interval,
            double plannedRate) {
        Plan p = plan;
        ModelPlan mp = p == null ? null : p.modelPlan(m.name()).orElse(null);
        if (mp == null) {
            return Optional.empty();
        }
        String pool = mp.tuples().stream().max(Comparator.comparingDouble(PlanTuple::ratePerSecond)).orElseThrow()
                .pool();
        double target = m.ownSlo().map(Slo::targetAttainment).orElse(Slo.DEFAULT_ATTAINMENT);
        Optional<LatencyFeedback.Correction> c = latencyFeedback.observe(new LatencyFeedback.Sample(m.name(), pool,
                now, interval, (traffic.admitted() + traffic.shed()) / interval, plannedRate, traffic.p99Ms(),
                mp.predictedWorstLatencyMs(), traffic.total(), traffic.attainment(), target));
        c.ifPresent(x -> latencyFactors = Map.copyOf(latencyFeedback.factors()));
        return c.map(LatencyFeedback.Correction::reason);
    }

    private void apply(Map<String, Double> rates, String reason) {
        realise(planFor(spec, rates), rates, reason);
    }

    private void realise(Plan next, Map<String, Double> rates, String reason) {
        long now = clock.millis();
        Map<String, Double> previous = plannedRates;
        FleetTarget nextTarget = FleetPlanMapper.target(next, this::bounded, this::standby, this::threads, shape());
        Map<String, WorkerGroupSpec> nextGroups = new LinkedHashMap<>();
        nextTarget.groups().forEach(g -> nextGroups.put(g.spec().groupId(), g.spec()));
        for (GroupTarget g : nextTarget.groups()) {
            int before = target.groups().stream().filter(o -> o.spec().groupId().equals(g.spec().groupId()))
                    .mapToInt(GroupTarget::serving).findFirst().orElse(0);
            String model = g.spec().models().get(0);
            if (before != g.serving()) {
                lastChange.put(model, now);
                events.record(new ScalingEvent(now, g.spec().groupId(), before < g.serving()
                        ? ScalingEvent.Kind.SCALE_UP : ScalingEvent.Kind.SCALE_DOWN, before, g.serving(), String.format(
                        "planned rate %.1f/s (was %.1f/s): %s", modelRate(next, model),
                        plan == null ? 0.0 : modelRate(plan, model), reason)));
            }
        }
        for (var p : spec.request().pipelines()) {
            if (!rates.getOrDefault(p.name(), 0.0).equals(previous.getOrDefault(p.name(), 0.0))) {
                lastChange.put(p.name(), now);
            }
        }
        events.record(new ScalingEvent(now, "fleet", ScalingEvent.Kind.REPLAN, totalServing(target),
                totalServing(nextTarget), String.format("%s; cost %.3f/h", reason, next.costPerHour())));
        plan = next;
        infeasible = null;
        plannedRates = Map.copyOf(rates);
        groups = Map.copyOf(nextGroups);
        target = nextTarget;
        fleet.apply(nextTarget);
        reroute();
    }

    /** A model's whole planned rate: its own requests and every pipeline's through it. */
    private static double modelRate(Plan p, String model) {
        return p.modelPlan(model).map(dev.stratus.core.model.plan.ModelPlan::ratePerSecond).orElse(0.0);
    }

    private static int totalServing(FleetTarget t) {
        return t.groups().stream().mapToInt(GroupTarget::serving).sum();
    }

    private Plan planFor(ServiceSpec s, Map<String, Double> rates) {
        List<ModelDemand> models = new ArrayList<>();
        for (ModelDemand m : s.request().models()) {
            double rate = Math.max(rates.getOrDefault(m.name(), m.ratePerSecond()), 0.01);
            models.add(new ModelDemand(m.name(), m.slo(), rate, m.allowedPools(), m.edgePreference(), m.memoryMb(),
                    m.maxBatch()));
        }
        List<dev.stratus.core.model.plan.Pipeline> pipelines = new ArrayList<>();
        for (var p : s.request().pipelines()) {
            pipelines.add(new dev.stratus.core.model.plan.Pipeline(p.name(), p.stages(), p.edges(), p.sloMs(),
                    Math.max(rates.getOrDefault(p.name(), p.ratePerSecond()), 0.0)));
        }
        PlanRequest request = new PlanRequest(s.request().pools(), models, pipelines);
        return Planner.plan(request, profiles, settings.policy(), Planner.Solver.HEURISTIC,
                PlannerSettings.defaults().withColocation(settings.colocation())
                        .withLatencyFactors(latencyFactors));
    }

    /**
     * Workers take the largest batch the model's profile covers, and wait at most a twentieth of the SLO
     * (1–10 ms) for a batch to fill; their batcher also starts a batch early when a deadline needs it.
     */
    private FleetPlanMapper.WorkerShape shape() {
        return new FleetPlanMapper.WorkerShape() {
            @Override
            public int maxBatch(String model) {
                ModelDemand m = spec.request().model(model);
                int profiled = profiles.forModel(model).stream().mapToInt(Profile::maxBatch).max().orElse(1);
                return Math.max(1, Math.min(m.maxBatch(), profiled));
            }

            @Override
            public double maxQueueDelayMs(String model) {
                double slo = spec.request().model(model).ownSlo().map(s -> s.latencyMs()).orElse(100.0);
                return Math.max(1, Math.min(10, slo / 20));
            }
        };
    }

    private int bounded(String model, int planned) {
        ModelScaling s = spec.scaling(model);
        ReplicaTarget t = ReplicaTarget.clamp(planned, new ReplicaBounds(s.minReplicas(), s.maxReplicas()));
        return t.replicas();
    }

    private int standby(String model, int serving) {
        ModelScaling s = spec.scaling(model);
        Forecast f;
        synchronized (lastForecast) {
            f = lastForecast.get(model);
        }
        return settings.warmPool().standby(s.warmPool(), serving, new ReplicaBounds(s.minReplicas(),
                        s.maxReplicas() + s.warmPool()),
                settings.warmPool().recentScaleUpSteps(history, model, clock.millis()),
                f != null && f.burst()).count();
    }

    /** Workers run with the threads their profile on the pool's class was measured with (see WorkerThreads). */
    private int threads(List<String> models, String poolName) {
        java.util.Optional<String> hardwareId = spec.request().pools().stream()
                .filter(p -> p.name().equals(poolName)).map(Pool::hardwareId).findFirst();
        return WorkerThreads.forGroup(models, hardwareId, profiles);
    }

    /** Keeps the gateway's routing table in step with the fleet (called on every fleet change). */
    private void reroute() {
        Plan p = plan;
        if (p == null) {
            return;
        }
        routes.publish(RoutingBuilder.build(spec, p, fleet.replicas(), groups, new RoutingBuilder.BatchLatency() {
            @Override
            public double meanMs(String model, String groupId, int batch) {
                return curve(model, groupId).map(c -> c.meanMs(batch)).orElse(1.0);
            }

            @Override
            public double conservativeMs(String model, String groupId, int batch) {
                return curve(model, groupId).map(c -> c.conservativeMs(batch)).orElse(1.0);
            }
        }));
    }

    /** The latency curve of a model on a group's pool, scaled by the pool's latency factor. */
    private java.util.Optional<ScaledCurve> curve(String model, String groupId) {
        String poolName = groupId.contains("@") ? groupId.substring(groupId.indexOf('@') + 1) : null;
        for (Pool pool : spec.request().pools()) {
            if (poolName == null || pool.name().equals(poolName)) {
                var profile = profiles.find(model, pool.hardwareId());
                if (profile.isPresent()) {
                    return java.util.Optional.of(new ScaledCurve(new LatencyCurve(profile.get()), pool.latencyScale()));
                }
            }
        }
        return java.util.Optional.empty();
    }

    private record ScaledCurve(LatencyCurve curve, double scale) {
        double meanMs(int batch) {
            return curve.meanMs(batch) * scale;
        }

        double conservativeMs(int batch) {
            return curve.conservativeMs(batch) * scale;
        }
    }

    private void runOnLoop(Runnable action) {
        try {
            loop.submit(action).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("control loop busy for 30 s");
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
