package dev.stratus.simulation.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.core.profiling.LatencyCurve;
import dev.stratus.core.simulation.BatchRule;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ServiceTime;
import dev.stratus.core.simulation.SimDispatch;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.SimPool;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.arrival.ArrivalProcess;
import dev.stratus.core.simulation.arrival.ConstantArrivals;
import dev.stratus.core.simulation.arrival.DiurnalArrivals;
import dev.stratus.core.simulation.arrival.GammaArrivals;
import dev.stratus.core.simulation.arrival.MmppArrivals;
import dev.stratus.core.simulation.arrival.PiecewiseArrivals;
import dev.stratus.core.simulation.arrival.PoissonArrivals;
import dev.stratus.core.simulation.arrival.TraceReplayArrivals;
import dev.stratus.core.simulation.policy.AimdSettings;
import dev.stratus.core.simulation.policy.BaselineDeployment;
import dev.stratus.core.simulation.policy.Configurators;
import dev.stratus.core.simulation.policy.HpaSettings;
import dev.stratus.core.simulation.policy.KpaSettings;
import dev.stratus.core.simulation.policy.PolicyConfigurator;
import dev.stratus.core.simulation.policy.StaticConfigurator;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.planning.Planner;
import dev.stratus.core.simulation.planned.PlanSimulation;
import dev.stratus.core.simulation.planned.PlannedPolicy;
import dev.stratus.planning.io.PlanRequestException;
import dev.stratus.planning.io.PlanRequestReader;
import dev.stratus.simulation.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses a scenario YAML file (format in {@code docs/simulation.md}). Every error names the field. Profile
 * references ({@code latency.profile}) are resolved through the given {@link ProfileStore}; trace files are
 * resolved relative to the scenario file.
 */
public final class ScenarioReader {
    public static final String TRITON_HPA = "triton-hpa";
    public static final String KPA = "kpa";
    public static final String CLIPPER_AIMD = "clipper-aimd";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ColdStart NO_COLD_START = new ColdStart(0, 0, 0, 0, false);

    private final Optional<ProfileStore> profiles;

    public ScenarioReader(Optional<ProfileStore> profiles) {
        this.profiles = profiles;
    }

    public Scenario read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            return parse(text, file.toAbsolutePath().getParent(), file.getFileName().toString());
        } catch (ScenarioException e) {
            throw new ScenarioException(file + ": " + e.getMessage(), e);
        }
    }

    /** @param baseDir where relative trace paths are resolved */
    public Scenario parse(String yaml, Path baseDir, String defaultName) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ScenarioException("not valid YAML: " + e.getOriginalMessage());
        }
        Field top = new Field("", root).only(Set.of("name", "durationSeconds", "seed", "controlPeriodSeconds", "pools",
                "models", "deployments", "baselines", "plan"));
        double duration = top.get("durationSeconds").positive();
        double controlPeriod = top.get("controlPeriodSeconds").present() ? top.get("controlPeriodSeconds").positive() : 1;
        Field planField = top.get("plan");
        SimWorkload workload;
        List<PolicyConfigurator> planned = new ArrayList<>();
        if (planField.present()) {
            for (String f : List.of("pools", "models", "baselines")) {
                if (top.get(f).present()) {
                    throw new ScenarioException(top.get(f).path() + ": not with 'plan' (the plan request gives the pools "
                            + "and models, and the planner the baselines' starting configurations)");
                }
            }
            PlanSimulation sim = planSimulation(planField, baseDir);
            Map<String, ArrivalProcess> arrivals = new LinkedHashMap<>();
            if (planField.get("arrivals").present()) {
                for (Map.Entry<String, Field> e : planField.get("arrivals").entries()) {
                    if (sim.request().models().stream().noneMatch(m -> m.name().equals(e.getKey()))) {
                        throw new ScenarioException(e.getValue().path() + ": '" + e.getKey()
                                + "' is not one of the plan request's models");
                    }
                    arrivals.put(e.getKey(), arrival(e.getValue(), baseDir, duration));
                }
            }
            try {
                workload = sim.workload(duration, controlPeriod, arrivals);
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(planField.path() + ": " + e.getMessage());
            }
            List<String> names = planField.get("policies").present()
                    ? planField.get("policies").list().stream().map(Field::text).toList() : Planner.POLICIES;
            for (String n : names) {
                if (!Planner.POLICIES.contains(n)) {
                    throw new ScenarioException(planField.get("policies").path() + ": unknown planner policy '" + n
                            + "' (one of " + String.join(", ", Planner.POLICIES) + ")");
                }
                planned.add(new PlannedPolicy(n, sim));
            }
        } else {
            List<SimPool> pools = new ArrayList<>();
            for (Field p : top.get("pools").list()) {
                p.only(Set.of("name", "costPerHour", "networkRttMs"));
                pools.add(new SimPool(p.get("name").text(), p.get("costPerHour").nonNegative(0),
                        p.get("networkRttMs").nonNegative(0)));
            }
            if (pools.isEmpty()) {
                throw new ScenarioException("pools: at least one pool is required");
            }
            List<SimModel> models = new ArrayList<>();
            for (Field m : top.get("models").list()) {
                models.add(model(m, baseDir, duration));
            }
            try {
                workload = new SimWorkload(models, pools, duration, controlPeriod);
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(e.getMessage());
            }
        }
        Map<String, PolicyConfigurator> policies = new LinkedHashMap<>();
        if (top.get("deployments").present()) {
            for (Map.Entry<String, Field> e : top.get("deployments").entries()) {
                if (Set.of(TRITON_HPA, KPA, CLIPPER_AIMD).contains(e.getKey())) {
                    throw new ScenarioException(e.getValue().path() + ": " + e.getKey()
                            + " is a dynamic baseline; give its starting groups under baselines." + e.getKey() + ".groups");
                }
                Field d = e.getValue().only(Set.of("groups"));
                policies.put(e.getKey(), new StaticConfigurator(e.getKey(), groups(d.get("groups"), workload)));
            }
        }
        if (planField.present()) {
            for (PolicyConfigurator c : planned) {
                policies.putIfAbsent(c.name(), c); // an explicit deployment of the same name wins
            }
        } else {
            Field baselines = top.get("baselines");
            if (baselines.present()) {
                baselines.only(Set.of(TRITON_HPA, KPA, CLIPPER_AIMD));
            }
            policies.put(TRITON_HPA, tritonHpa(baselines.get(TRITON_HPA), workload));
            policies.put(KPA, kpa(baselines.get(KPA), workload));
            policies.put(CLIPPER_AIMD, clipper(baselines.get(CLIPPER_AIMD), workload));
        }
        return new Scenario(top.get("name").text(defaultName), workload, top.get("seed").longValue(1), policies);
    }

    // ---- a plan request ----

    /** {@code plan.request} (a plan request file, relative to the scenario) or the request inline. */
    private PlanSimulation planSimulation(Field plan, Path baseDir) {
        plan.only(Set.of("request", "pools", "models", "pipelines", "arrivals", "policies"));
        ProfileStore store = profiles.orElseThrow(() -> new ScenarioException(plan.path()
                + ": a plan request needs a profile store (--profiles DIR)"));
        PlanRequest request;
        try {
            if (plan.get("request").present()) {
                for (String f : List.of("pools", "models", "pipelines")) {
                    if (plan.get(f).present()) {
                        throw new ScenarioException(plan.get(f).path() + ": give either plan.request or the request inline");
                    }
                }
                request = PlanRequestReader.read(baseDir.resolve(plan.get("request").text()));
            } else {
                com.fasterxml.jackson.databind.node.ObjectNode inline = YAML.createObjectNode();
                for (String f : List.of("pools", "models", "pipelines")) {
                    if (plan.get(f).present()) {
                        inline.set(f, plan.get(f).node());
                    }
                }
                request = PlanRequestReader.parse(YAML.writeValueAsString(inline));
            }
        } catch (PlanRequestException e) {
            throw new ScenarioException(plan.path() + ": " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new ScenarioException(plan.path() + ": " + e.getOriginalMessage());
        }
        return new PlanSimulation(request, store);
    }

    // ---- models ----

    private SimModel model(Field m, Path baseDir, double duration) {
        m.only(Set.of("name", "sloMs", "targetAttainment", "latency", "coldStart", "coldStartCached", "arrival"));
        String name = m.get("name").text();
        double slo = m.get("sloMs").positive();
        double target = m.get("targetAttainment").number(0.99);
        if (!(target > 0) || target > 1) {
            throw new ScenarioException(m.get("targetAttainment").path() + ": must be in (0, 1]");
        }
        Field latency = m.get("latency").required();
        ServiceTime serviceTime;
        ColdStart cold;
        ColdStart cached;
        if (latency.get("profile").present()) {
            latency.only(Set.of("profile", "maxBatch"));
            Profile profile = profile(latency.get("profile"));
            int maxBatch = latency.get("maxBatch").integer(profile.maxBatch());
            serviceTime = ServiceTime.fromCurve(new LatencyCurve(profile), maxBatch);
            cold = profile.coldStart();
            cached = profile.coldStartCached();
        } else {
            serviceTime = syntheticLatency(latency);
            cold = NO_COLD_START;
            cached = null;
        }
        if (m.get("coldStart").present()) {
            cold = coldStart(m.get("coldStart"));
        }
        if (m.get("coldStartCached").present()) {
            cached = coldStart(m.get("coldStartCached"));
        }
        ArrivalProcess arrivals = arrival(m.get("arrival"), baseDir, duration);
        try {
            return new SimModel(name, slo, target, serviceTime, cold, cached, arrivals);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(m.path() + ": " + e.getMessage());
        }
    }

    private Profile profile(Field ref) {
        ref.only(Set.of("model", "hardwareId"));
        String model = ref.get("model").text();
        String hardware = ref.get("hardwareId").text();
        ProfileStore store = profiles.orElseThrow(() -> new ScenarioException(ref.path()
                + ": profile references need a profile store"));
        return store.find(model, hardware).orElseThrow(() -> new ScenarioException(ref.path() + ": no profile of "
                + model + " on " + hardware + " in the profile store"));
    }

    private static ServiceTime syntheticLatency(Field latency) {
        try {
            if (latency.get("table").present()) {
                latency.only(Set.of("table"));
                List<Field> rows = latency.get("table").list();
                double[] mean = new double[rows.size() + 1];
                double[] std = new double[rows.size() + 1];
                for (int i = 0; i < rows.size(); i++) {
                    Field row = rows.get(i).only(Set.of("batch", "meanMs", "stdMs"));
                    if (row.get("batch").integer(-1) != i + 1) {
                        throw new ScenarioException(row.get("batch").path() + ": rows must list batch 1, 2, 3, ... in order");
                    }
                    mean[i + 1] = row.get("meanMs").positive();
                    std[i + 1] = row.get("stdMs").nonNegative(0);
                }
                return ServiceTime.table(mean, std);
            }
            latency.only(Set.of("alphaMs", "betaMs", "cv", "maxBatch"));
            return ServiceTime.linear(latency.get("alphaMs").nonNegative(0), latency.get("betaMs").nonNegative(0),
                    latency.get("cv").nonNegative(0), latency.get("maxBatch").integer(64));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(latency.path() + ": " + e.getMessage());
        }
    }

    private static ColdStart coldStart(Field f) {
        if (f.get("totalMs").present()) {
            f.only(Set.of("totalMs"));
            return new ColdStart(f.get("totalMs").nonNegative(0), 0, 0, 0, false);
        }
        f.only(Set.of("processStartMs", "sessionCreateMs", "firstInferenceMs", "warmupMs"));
        return new ColdStart(f.get("processStartMs").nonNegative(0), f.get("sessionCreateMs").nonNegative(0),
                f.get("firstInferenceMs").nonNegative(0), f.get("warmupMs").nonNegative(0), false);
    }

    // ---- arrivals ----

    private static ArrivalProcess arrival(Field a, Path baseDir, double duration) {
        String process = a.get("process").text();
        try {
            return switch (process) {
                case "poisson" -> {
                    a.only(Set.of("process", "rate"));
                    yield new PoissonArrivals(a.get("rate").positive());
                }
                case "constant" -> {
                    a.only(Set.of("process", "rate", "offsetSeconds"));
                    yield new ConstantArrivals(a.get("rate").positive(), a.get("offsetSeconds").nonNegative(0));
                }
                case "gamma" -> {
                    a.only(Set.of("process", "rate", "cv"));
                    yield new GammaArrivals(a.get("rate").positive(), a.get("cv").positive());
                }
                case "mmpp" -> {
                    a.only(Set.of("process", "lowRate", "highRate", "meanLowSeconds", "meanHighSeconds"));
                    yield new MmppArrivals(a.get("lowRate").nonNegative(0), a.get("highRate").nonNegative(0),
                            a.get("meanLowSeconds").positive(), a.get("meanHighSeconds").positive());
                }
                case "diurnal" -> {
                    a.only(Set.of("process", "meanRate", "amplitude", "periodSeconds", "phase"));
                    yield new DiurnalArrivals(a.get("meanRate").positive(), a.get("amplitude").nonNegative(0),
                            a.get("periodSeconds").positive(), a.get("phase").number(0));
                }
                case "piecewise" -> {
                    a.only(Set.of("process", "segments", "cycleSeconds"));
                    List<PiecewiseArrivals.Segment> segments = new ArrayList<>();
                    for (Field s : a.get("segments").list()) {
                        s.only(Set.of("startSeconds", "rate"));
                        segments.add(new PiecewiseArrivals.Segment(s.get("startSeconds").nonNegative(0),
                                s.get("rate").nonNegative(0)));
                    }
                    yield new PiecewiseArrivals(segments, a.get("cycleSeconds").nonNegative(0));
                }
                case "azure-functions-2019" -> {
                    a.only(Set.of("process", "file", "function", "meanRate", "scale", "startMinute", "minutes"));
                    Path file = baseDir.resolve(a.get("file").text());
                    double[] counts = AzureFunctionsTrace.perMinute(file, a.get("function").text(AzureFunctionsTrace.TOP));
                    int start = a.get("startMinute").integer(0);
                    int minutes = a.get("minutes").integer(counts.length - start);
                    if (start < 0 || minutes < 1 || start + minutes > counts.length) {
                        throw new ScenarioException(a.get("startMinute").path() + "/minutes: outside the trace's "
                                + counts.length + " minutes");
                    }
                    double[] window = java.util.Arrays.copyOfRange(counts, start, start + minutes);
                    if (a.get("meanRate").present() == a.get("scale").present()) {
                        throw new ScenarioException(a.path() + ": give exactly one of meanRate (target requests/s) and scale");
                    }
                    double scale = a.get("meanRate").present()
                            ? TraceReplayArrivals.scaleFor(window, a.get("meanRate").positive()) : a.get("scale").positive();
                    yield new TraceReplayArrivals(file.getFileName().toString(), window, scale);
                }
                default -> throw new ScenarioException(a.get("process").path() + ": unknown arrival process '" + process
                        + "' (poisson, constant, gamma, mmpp, diurnal, piecewise, azure-functions-2019)");
            };
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(a.path() + ": " + e.getMessage());
        }
    }

    // ---- deployments ----

    private static List<ReplicaGroup> groups(Field list, SimWorkload workload) {
        List<ReplicaGroup> groups = new ArrayList<>();
        for (Field g : list.list()) {
            g.only(Set.of("pool", "replicas", "dispatch", "formation", "maxQueuePerReplica", "models"));
            String poolName = g.get("pool").text();
            SimPool pool = workload.pool(poolName).orElseThrow(() -> new ScenarioException(g.get("pool").path()
                    + ": unknown pool '" + poolName + "'"));
            List<GroupMember> members = new ArrayList<>();
            for (Field m : g.get("models").list()) {
                m.only(Set.of("model", "batch", "maxQueueDelayMs", "share"));
                String model = m.get("model").text();
                if (workload.model(model).isEmpty()) {
                    throw new ScenarioException(m.get("model").path() + ": unknown model '" + model + "'");
                }
                members.add(new GroupMember(model, m.get("batch").integer(1), m.get("maxQueueDelayMs").nonNegative(0),
                        m.get("share").nonNegative(1)));
            }
            try {
                groups.add(new ReplicaGroup(pool.name(), pool.costPerHour(), pool.networkRttMs(), members,
                        g.get("replicas").integer(1), dispatch(g.get("dispatch"), SimDispatch.BATCH_AWARE),
                        g.get("maxQueuePerReplica").integer(ReplicaGroup.DEFAULT_MAX_QUEUE),
                        formation(g.get("formation"), BatchRule.DEADLINE_AWARE)));
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(g.path() + ": " + e.getMessage());
            }
        }
        try {
            new dev.stratus.core.simulation.SimConfig(workload, groups, false);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(list.path() + ": " + e.getMessage());
        }
        return groups;
    }

    private static SimDispatch dispatch(Field f, SimDispatch fallback) {
        if (!f.present()) {
            return fallback;
        }
        return switch (f.text()) {
            case "batch-aware" -> SimDispatch.BATCH_AWARE;
            case "round-robin" -> SimDispatch.ROUND_ROBIN;
            default -> throw new ScenarioException(f.path() + ": expected batch-aware or round-robin, got '" + f.text() + "'");
        };
    }

    private static BatchRule formation(Field f, BatchRule fallback) {
        if (!f.present()) {
            return fallback;
        }
        return switch (f.text()) {
            case "deadline-aware" -> BatchRule.DEADLINE_AWARE;
            case "sliding-window" -> BatchRule.SLIDING_WINDOW;
            case "shrink" -> BatchRule.SHRINK;
            case "fifo" -> BatchRule.FIFO;
            default -> throw new ScenarioException(f.path() + ": expected deadline-aware, sliding-window, shrink or fifo, "
                    + "got '" + f.text() + "'");
        };
    }

    private static final Set<String> DEPLOYMENT_FIELDS = Set.of("pool", "batch", "maxQueueDelayMs", "dispatch",
            "formation", "maxQueuePerReplica", "sizingUtilisation", "minReplicas", "maxReplicas", "groups");

    /** Defaults: batch 8, 2 ms delay, round robin, FIFO (no deadline shedding), 1024 queue, sized for 70 %. */
    private static BaselineDeployment deployment(Field f, int defaultBatch, boolean sizeForPeak, double defaultUtil) {
        String pool = f.get("pool").present() ? f.get("pool").text() : null;
        try {
            return new BaselineDeployment(pool, f.get("batch").integer(defaultBatch),
                    f.get("maxQueueDelayMs").nonNegative(2), dispatch(f.get("dispatch"), SimDispatch.ROUND_ROBIN),
                    formation(f.get("formation"), BatchRule.FIFO),
                    f.get("maxQueuePerReplica").integer(ReplicaGroup.DEFAULT_MAX_QUEUE),
                    f.get("sizingUtilisation").number(defaultUtil), sizeForPeak, f.get("minReplicas").integer(1),
                    f.get("maxReplicas").integer(1000));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(f.path() + ": " + e.getMessage());
        }
    }

    private static Optional<List<ReplicaGroup>> explicitStart(Field f, SimWorkload workload) {
        return f.get("groups").present() ? Optional.of(groups(f.get("groups"), workload)) : Optional.empty();
    }

    private static PolicyConfigurator tritonHpa(Field f, SimWorkload workload) {
        Set<String> known = new java.util.HashSet<>(DEPLOYMENT_FIELDS);
        known.addAll(Set.of("targetUtilisation", "tolerance", "syncPeriodSeconds", "scaleDownStabilisationSeconds",
                "scaleUpPercent", "scaleUpPods", "prewarmed"));
        if (f.present()) {
            f.only(known);
        }
        HpaSettings d = HpaSettings.defaults();
        HpaSettings settings;
        try {
            settings = new HpaSettings(f.get("targetUtilisation").number(d.targetUtilisation()),
                    f.get("tolerance").number(d.tolerance()), f.get("syncPeriodSeconds").number(d.syncPeriodSeconds()),
                    f.get("scaleDownStabilisationSeconds").number(d.scaleDownStabilisationSeconds()),
                    f.get("scaleUpPercent").number(d.scaleUpPercent()), f.get("scaleUpPods").integer(d.scaleUpPods()),
                    f.get("minReplicas").integer(d.minReplicas()), f.get("maxReplicas").integer(d.maxReplicas()));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(f.path() + ": " + e.getMessage());
        }
        return Configurators.tritonHpa(TRITON_HPA, settings,
                deployment(f, 8, false, settings.targetUtilisation()), explicitStart(f, workload), f.get("prewarmed").bool(false));
    }

    private static PolicyConfigurator kpa(Field f, SimWorkload workload) {
        Set<String> known = new java.util.HashSet<>(DEPLOYMENT_FIELDS);
        known.addAll(Set.of("targetConcurrency", "targetUtilisation", "stableWindowSeconds", "panicWindowPercent",
                "panicThresholdPercent", "tickSeconds", "maxScaleUpRate", "maxScaleDownRate", "prewarmed"));
        if (f.present()) {
            f.only(known);
        }
        KpaSettings d = KpaSettings.defaults();
        KpaSettings settings;
        try {
            settings = new KpaSettings(f.get("targetConcurrency").number(d.targetConcurrency()),
                    f.get("targetUtilisation").number(d.targetUtilisation()),
                    f.get("stableWindowSeconds").number(d.stableWindowSeconds()),
                    f.get("panicWindowPercent").number(d.panicWindowPercent()),
                    f.get("panicThresholdPercent").number(d.panicThresholdPercent()),
                    f.get("tickSeconds").number(d.tickSeconds()), f.get("maxScaleUpRate").number(d.maxScaleUpRate()),
                    f.get("maxScaleDownRate").number(d.maxScaleDownRate()), f.get("minReplicas").integer(d.minReplicas()),
                    f.get("maxReplicas").integer(d.maxReplicas()));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(f.path() + ": " + e.getMessage());
        }
        return Configurators.kpa(KPA, settings, deployment(f, 8, false, settings.targetUtilisation()),
                explicitStart(f, workload), f.get("prewarmed").bool(false));
    }

    private static PolicyConfigurator clipper(Field f, SimWorkload workload) {
        Set<String> known = new java.util.HashSet<>(DEPLOYMENT_FIELDS);
        known.addAll(Set.of("additiveStep", "backoff"));
        if (f.present()) {
            f.only(known);
        }
        AimdSettings d = AimdSettings.defaults();
        AimdSettings settings;
        try {
            settings = new AimdSettings(f.get("additiveStep").integer(d.additiveStep()), f.get("backoff").number(d.backoff()));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(f.path() + ": " + e.getMessage());
        }
        // Batch 0 = the model's largest batch: AIMD explores up to it. Replicas sized for the peak (no autoscaling).
        return Configurators.clipperAimd(CLIPPER_AIMD, settings, deployment(f, 0, true, 0.7), explicitStart(f, workload));
    }
}
