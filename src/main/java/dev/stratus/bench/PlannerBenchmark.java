package dev.stratus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.planning.Planner;
import dev.stratus.core.planning.PlannerScaleWorkload;
import dev.stratus.core.planning.PlannerSettings;
import dev.stratus.core.planning.PlanningException;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.core.planning.PlanningContext;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.planned.CapacitySearch;
import dev.stratus.core.simulation.planned.PlanSimulation;
import dev.stratus.core.simulation.planned.PlannedDeployment;
import dev.stratus.core.simulation.planned.VerifiedPlanner;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./stratus bench planner}: every policy's cost at its target SLO attainment (99 % of requests within the
 * SLO, per model) on a suite ({@link PlannerSuite}, or any directory of plan requests), found by simulating its plan
 * and growing the capacity of the groups of failing models until every model meets the target
 * ({@link CapacitySearch}). Poisson arrivals at the planned rates: Stratus' plan is its verified plan
 * ({@link VerifiedPlanner}), served static. Bursty arrivals (MMPP: 2× the mean for ~10 s every ~50 s, 0.75×
 * otherwise, same mean): Stratus plans with its candidates also verified under the burst and runs its control loop
 * ({@code ReplanLoop}); Triton + HPA and KPA run their autoscalers, Clipper its AIMD batching, static-peak and Nexus
 * stay static. Then Stratus' advantage (best baseline's cost / Stratus' cost: median and worst per arrival kind), the
 * exact solver's plans on the small instances, and the planner's runtime for 10 to 10,000 models without and with
 * verification. Deterministic: fixed suite, fixed seeds, verification budgets in simulated requests.
 */
public final class PlannerBenchmark {
    public static final List<String> POLICIES = Planner.POLICIES;
    public static final String EXACT = "stratus-exact";

    /** How the benchmark runs; {@code verification} is what Stratus' planner checks its candidates with. */
    public record Options(double durationSeconds, boolean bursty, boolean exact, List<Integer> runtimeSizes,
            CapacitySearch.Limits limits, VerifiedPlanner.Settings verification) {
        public Options(double durationSeconds, boolean bursty, boolean exact, List<Integer> runtimeSizes,
                CapacitySearch.Limits limits) {
            this(durationSeconds, bursty, exact, runtimeSizes, limits, VerifiedPlanner.Settings.defaults());
        }

        public static Options defaults() {
            return new Options(600, true, true, List.of(10, 100, 1000, 10000), CapacitySearch.Limits.defaults());
        }
    }

    /** One policy on one workload under one arrival variant. */
    public record Cost(String status, double planCostPerHour, double firstAttainment, double costPerHour, int rounds,
            double maxFactor, List<String> failing) {
        public boolean feasible() {
            return status.equals("ok");
        }

        static Cost plannerInfeasible(String why) {
            return new Cost("planner: " + why, Double.NaN, Double.NaN, Double.NaN, 0, 1, List.of());
        }
    }

    /** Everything measured on one workload. */
    public record WorkloadResult(PlannerSuite.Workload workload, Map<String, Cost> poisson, Map<String, Cost> bursty,
            double exactPlanCost, double heuristicNoColocationPlanCost, double heuristicPlanCost, long exactMillis,
            Verification verification) {

        /** Best baseline cost / Stratus cost at 99 % (Poisson); +inf when only Stratus is feasible, NaN when neither. */
        public double ratio(Map<String, Cost> costs) {
            Cost s = costs.get("stratus");
            double best = costs.entrySet().stream().filter(e -> POLICIES.contains(e.getKey()) && !e.getKey().equals("stratus")
                    && e.getValue().feasible()).mapToDouble(e -> e.getValue().costPerHour()).min().orElse(Double.NaN);
            if (s == null || !s.feasible()) {
                return Double.isNaN(best) ? Double.NaN : 0;
            }
            return Double.isNaN(best) ? Double.POSITIVE_INFINITY : best / s.costPerHour();
        }

        public String bestBaseline(Map<String, Cost> costs) {
            return costs.entrySet().stream().filter(e -> POLICIES.contains(e.getKey()) && !e.getKey().equals("stratus")
                    && e.getValue().feasible()).min((a, b) -> Double.compare(a.getValue().costPerHour(),
                    b.getValue().costPerHour())).map(Map.Entry::getKey).orElse("-");
        }

        /** Heuristic (co-location off, the exact solver's space) over exact, minus 1; NaN when not compared. */
        public double exactGap() {
            return Double.isNaN(exactPlanCost) ? Double.NaN : heuristicNoColocationPlanCost / exactPlanCost - 1;
        }
    }

    /**
     * Stratus' verified planning of one workload: the analytic plan's cost, the chosen candidate, its replicas, the
     * wall time and the simulated requests it took.
     */
    public record Verification(double analyticCost, String chosen, int replicas, double millis, long requests,
            boolean verified) {
        static Verification none() {
            return new Verification(Double.NaN, "-", 0, 0, 0, false);
        }
    }

    /** Planner runtime for a size: median of the timed runs, without and with verification by simulation. */
    public record Runtime(int models, int runs, double medianMs, double minMs, double maxMs, double verifiedMedianMs,
            String verifiedNote) {
    }

    public record Result(Options options, List<WorkloadResult> workloads, List<Runtime> runtimes, double wallSeconds) {
        static double median(double[] values) {
            double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
            if (v.length == 0) {
                return Double.NaN;
            }
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        public double medianRatio(boolean bursty) {
            return median(workloads.stream().mapToDouble(w -> w.ratio(bursty ? w.bursty() : w.poisson())).toArray());
        }

        /** The lowest best-baseline / Stratus ratio of the suite (NaN when none could be compared). */
        public double worstRatio(boolean bursty) {
            return workloads.stream().mapToDouble(w -> w.ratio(bursty ? w.bursty() : w.poisson()))
                    .filter(x -> !Double.isNaN(x)).min().orElse(Double.NaN);
        }

        /** Workloads whose Stratus plan has at least {@code replicas} replicas. */
        public long withAtLeast(int replicas) {
            return workloads.stream().filter(w -> w.verification().replicas() >= replicas).count();
        }

        public long compared() {
            return workloads.stream().filter(w -> !Double.isNaN(w.exactGap())).count();
        }

        public long exactOptimal() {
            return workloads.stream().filter(w -> !Double.isNaN(w.exactGap()) && w.exactGap() <= 1e-9).count();
        }

        public double maxGap() {
            return workloads.stream().mapToDouble(WorkloadResult::exactGap).filter(x -> !Double.isNaN(x)).max().orElse(Double.NaN);
        }

        public String toTable() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "Planner vs baselines: %d workloads, %.0f s simulated per run, cost in $/h at "
                    + ">= 99%% of requests within SLO for every model (x = infeasible within %d rounds / %.0fx capacity; "
                    + "P = the planner found no plan)%n%n", workloads.size(), options.durationSeconds(),
                    options.limits().maxRounds(), options.limits().maxFactor()));
            for (boolean bursty : options.bursty() ? new boolean[] {false, true} : new boolean[] {false}) {
                out.append(bursty ? "Bursty arrivals (MMPP, same mean):\n" : "Poisson arrivals:\n");
                out.append(String.format(Locale.ROOT, "%-16s %3s %3s %4s", "WORKLOAD", "M", "P", "R"));
                for (String p : POLICIES) {
                    out.append(String.format(Locale.ROOT, " %12s", p));
                }
                out.append(String.format(Locale.ROOT, " %7s  %s%n", "RATIO", "BEST BASELINE"));
                for (WorkloadResult w : workloads) {
                    Map<String, Cost> costs = bursty ? w.bursty() : w.poisson();
                    out.append(String.format(Locale.ROOT, "%-16s %3d %3d %4d", w.workload().name(),
                            w.workload().models(), w.workload().pools(), w.verification().replicas()));
                    for (String p : POLICIES) {
                        out.append(String.format(Locale.ROOT, " %12s", cell(costs.get(p))));
                    }
                    out.append(String.format(Locale.ROOT, " %7s  %s%n", ratio(w.ratio(costs)), w.bestBaseline(costs)));
                }
                out.append(String.format(Locale.ROOT, "Median best-baseline / stratus: %s; worst: %s%n%n",
                        ratio(medianRatio(bursty)), ratio(worstRatio(bursty))));
            }
            out.append("Cell: cost at 99% ('*' = met the target as planned, else after the capacity search). M models, P "
                    + "pools, R replicas in Stratus' plan. Bursty: stratus runs its control loop (forecast, re-plan rule, "
                    + "planner sizing), triton-hpa and kpa their autoscalers, clipper-aimd its AIMD batching; "
                    + "static-peak and nexus are static plans.\n");
            out.append(String.format(Locale.ROOT, "Workloads with >= 10 replicas in Stratus' plan: %d of %d.%n%n",
                    withAtLeast(10), workloads.size()));
            out.append("Stratus' verified planning (candidates simulated cheapest first; chosen candidate):\n");
            out.append(String.format(Locale.ROOT, "%-16s %10s %10s %8s %11s  %s%n", "WORKLOAD", "ANALYTIC", "VERIFIED",
                    "ms", "requests", "CHOSEN"));
            for (WorkloadResult w : workloads) {
                Verification v = w.verification();
                out.append(String.format(Locale.ROOT, "%-16s %10s %10s %8.0f %,11d  %s%n", w.workload().name(),
                        money(v.analyticCost()), money(w.poisson().get("stratus").planCostPerHour()), v.millis(),
                        v.requests(), v.verified() ? v.chosen() : "not verified"));
            }
            out.append("\n");
            if (options.exact()) {
                out.append("Small instances (<= 3 models, <= 3 pools): plan cost $/h, exact vs heuristic\n");
                out.append(String.format(Locale.ROOT, "%-16s %10s %14s %10s %8s %12s %12s %9s%n", "WORKLOAD", "EXACT",
                        "HEUR(no-colo)", "HEUR", "GAP", "EXACT@99", "STRATUS@99", "EXACT-ms"));
                for (WorkloadResult w : workloads) {
                    if (!w.workload().small()) {
                        continue;
                    }
                    out.append(String.format(Locale.ROOT, "%-16s %10s %14s %10s %8s %12s %12s %9d%n", w.workload().name(),
                            money(w.exactPlanCost()), money(w.heuristicNoColocationPlanCost()), money(w.heuristicPlanCost()),
                            Double.isNaN(w.exactGap()) ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100 * w.exactGap()),
                            cell(w.poisson().get(EXACT)), cell(w.poisson().get("stratus")), w.exactMillis()));
                }
                out.append(String.format(Locale.ROOT, "Exact-optimal (heuristic without co-location = exact): %d of %d; "
                        + "largest gap %s%n%n", exactOptimal(), compared(),
                        Double.isNaN(maxGap()) ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100 * maxGap())));
            }
            if (!runtimes.isEmpty()) {
                out.append("Planner runtime (stratus heuristic, PlannerScaleWorkload, after warm-up; VERIFIED: with the "
                        + "simulation checks, default budget):\n");
                out.append(String.format(Locale.ROOT, "%8s %5s %12s %12s %12s %13s  %s%n", "MODELS", "RUNS", "MEDIAN ms",
                        "MIN ms", "MAX ms", "VERIFIED ms", ""));
                for (Runtime r : runtimes) {
                    out.append(String.format(Locale.ROOT, "%8d %5d %12.1f %12.1f %12.1f %13.1f  %s%n", r.models(),
                            r.runs(), r.medianMs(), r.minMs(), r.maxMs(), r.verifiedMedianMs(), r.verifiedNote()));
                }
            }
            out.append(String.format(Locale.ROOT, "%nWall time %.0f s.%n", wallSeconds));
            return out.toString();
        }

        static String cell(Cost c) {
            if (c == null) {
                return "-";
            }
            if (c.status().startsWith("planner")) {
                return "P";
            }
            if (!c.feasible()) {
                return "x";
            }
            return String.format(Locale.ROOT, "%.3f%s", c.costPerHour(), c.rounds() == 1 ? "*" : "");
        }

        static String money(double v) {
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
        }

        static String ratio(double r) {
            return Double.isNaN(r) ? "-" : Double.isInfinite(r) ? "inf" : String.format(Locale.ROOT, "%.2f", r);
        }

        public String toJson() {
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = json.createObjectNode();
            root.put("durationSeconds", options.durationSeconds());
            root.put("maxRounds", options.limits().maxRounds());
            root.put("maxFactor", options.limits().maxFactor());
            root.put("medianRatioPoisson", num(medianRatio(false)));
            root.put("worstRatioPoisson", num(worstRatio(false)));
            if (options.bursty()) {
                root.put("medianRatioBursty", num(medianRatio(true)));
                root.put("worstRatioBursty", num(worstRatio(true)));
            }
            root.put("workloadsWith10Replicas", withAtLeast(10));
            root.put("exactCompared", compared());
            root.put("exactOptimal", exactOptimal());
            root.put("maxExactGap", num(maxGap()));
            ArrayNode ws = root.putArray("workloads");
            for (WorkloadResult w : workloads) {
                ObjectNode n = ws.addObject();
                n.put("name", w.workload().name());
                n.put("description", w.workload().description());
                n.put("models", w.workload().models());
                n.put("pools", w.workload().pools());
                n.put("replicas", w.verification().replicas());
                n.putObject("verification").put("analyticCost", num(w.verification().analyticCost()))
                        .put("chosen", w.verification().chosen()).put("verified", w.verification().verified())
                        .put("millis", w.verification().millis()).put("requests", w.verification().requests());
                n.put("ratioPoisson", num(w.ratio(w.poisson())));
                n.put("bestBaselinePoisson", w.bestBaseline(w.poisson()));
                costs(n.putObject("poisson"), w.poisson());
                if (options.bursty()) {
                    n.put("ratioBursty", num(w.ratio(w.bursty())));
                    costs(n.putObject("bursty"), w.bursty());
                }
                if (w.workload().small() && options.exact()) {
                    ObjectNode e = n.putObject("exact");
                    e.put("exactPlanCost", num(w.exactPlanCost()));
                    e.put("heuristicNoColocationPlanCost", num(w.heuristicNoColocationPlanCost()));
                    e.put("heuristicPlanCost", num(w.heuristicPlanCost()));
                    e.put("gap", num(w.exactGap()));
                    e.put("exactMillis", w.exactMillis());
                }
            }
            ArrayNode rt = root.putArray("runtimes");
            for (Runtime r : runtimes) {
                rt.addObject().put("models", r.models()).put("runs", r.runs()).put("medianMs", r.medianMs())
                        .put("minMs", r.minMs()).put("maxMs", r.maxMs()).put("verifiedMedianMs", r.verifiedMedianMs())
                        .put("verifiedNote", r.verifiedNote());
            }
            root.put("wallSeconds", wallSeconds);
            try {
                return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void costs(ObjectNode n, Map<String, Cost> costs) {
            costs.forEach((policy, c) -> {
                ObjectNode p = n.putObject(policy);
                p.put("status", c.status());
                p.put("planCostPerHour", num(c.planCostPerHour()));
                p.put("firstAttainment", num(c.firstAttainment()));
                p.put("costPerHour", c.feasible() ? num(c.costPerHour()) : null);
                p.put("rounds", c.rounds());
                p.put("maxFactor", c.maxFactor());
                ArrayNode f = p.putArray("failing");
                c.failing().forEach(f::add);
            });
        }

        private static Double num(double v) {
            return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
        }
    }

    private final Options options;
    private final ProfileStore profiles;
    private final PrintStream log;

    /** @param profiles the suite's profiles ({@link PlannerSuite#profiles}) */
    public PlannerBenchmark(Options options, ProfileStore profiles, PrintStream log) {
        this.options = options;
        this.profiles = profiles;
        this.log = log;
    }

    public Result run() {
        return run(PlannerSuite.workloads());
    }

    public Result run(List<PlannerSuite.Workload> suite) {
        long start = System.nanoTime();
        List<WorkloadResult> results = new ArrayList<>();
        for (int i = 0; i < suite.size(); i++) {
            PlannerSuite.Workload w = suite.get(i);
            long t = System.nanoTime();
            WorkloadResult r = workload(w, 1000L + i);
            results.add(r);
            log.printf(Locale.ROOT, "[%d/%d] %s: stratus %s, best baseline %s (%s), ratio %s; bursty ratio %s; %.1f s%n",
                    i + 1, suite.size(), w.name(), Result.cell(r.poisson().get("stratus")),
                    Result.cell(r.poisson().get(r.bestBaseline(r.poisson()))), r.bestBaseline(r.poisson()),
                    Result.ratio(r.ratio(r.poisson())), options.bursty() ? Result.ratio(r.ratio(r.bursty())) : "-",
                    (System.nanoTime() - t) / 1e9);
        }
        List<Runtime> runtimes = new ArrayList<>();
        for (int size : options.runtimeSizes()) {
            runtimes.add(runtime(size));
            Runtime r = runtimes.get(runtimes.size() - 1);
            log.printf(Locale.ROOT, "planner runtime, %d models: median %.1f ms of %d runs%n", size, r.medianMs(), r.runs());
        }
        return new Result(options, results, runtimes, (System.nanoTime() - start) / 1e9);
    }

    /** Simulated seconds per run for a workload: the option, shortened to about 3 million requests, at least 120 s. */
    double durationFor(PlannerSuite.Workload w) {
        double rate = w.request().totalRates().values().stream().mapToDouble(Double::doubleValue).sum();
        return Math.min(options.durationSeconds(), Math.max(120, 3e6 / rate));
    }

    WorkloadResult workload(PlannerSuite.Workload w, long seed) {
        PlanSimulation sim = new PlanSimulation(w.request(), profiles);
        double duration = durationFor(w);
        SimWorkload poissonWorkload = sim.workload(duration, 1, Map.of());
        SimWorkload burstyWorkload = options.bursty() ? sim.burstyWorkload(duration, 1) : null;
        Map<String, Plan> plans = new LinkedHashMap<>();
        Map<String, String> planErrors = new LinkedHashMap<>();
        Verification verification = Verification.none();
        for (String p : POLICIES) {
            try {
                if (p.equals("stratus")) {
                    long t = System.nanoTime();
                    VerifiedPlanner.Outcome o = VerifiedPlanner.plan(w.request(), profiles, PlannerSettings.defaults(),
                            options.verification());
                    double millis = (System.nanoTime() - t) / 1e6;
                    plans.put(p, o.plan());
                    verification = new Verification(Planner.plan(w.request(), profiles).costPerHour(),
                            o.chosen().map(VerifiedPlanner.Candidate::source).orElse("-"), replicas(o.plan()), millis,
                            o.requests(), o.verified());
                } else {
                    plans.put(p, Planner.plan(w.request(), profiles, p, Planner.Solver.HEURISTIC,
                            PlannerSettings.defaults()));
                }
            } catch (PlanningException | IllegalArgumentException e) {
                planErrors.put(p, e.getMessage());
            }
        }
        double exactCost = Double.NaN;
        double noColo = Double.NaN;
        long exactMillis = 0;
        if (options.exact() && w.small()) {
            try {
                long t = System.nanoTime();
                Plan exact = Planner.plan(w.request(), profiles, "stratus", Planner.Solver.EXACT, PlannerSettings.defaults());
                exactMillis = (System.nanoTime() - t) / 1_000_000;
                exactCost = exact.costPerHour();
                plans.put(EXACT, exact);
                noColo = Planner.plan(w.request(), profiles, "stratus", Planner.Solver.HEURISTIC,
                        PlannerSettings.defaults().withColocation(false)).costPerHour();
            } catch (PlanningException | IllegalArgumentException e) {
                planErrors.put(EXACT, e.getMessage());
            }
        }
        Map<String, Cost> poisson = new LinkedHashMap<>();
        Map<String, Cost> burstyCosts = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(POLICIES);
        if (plans.containsKey(EXACT) || planErrors.containsKey(EXACT)) {
            names.add(EXACT);
        }
        PlanningContext ctx = null;
        for (String p : names) {
            if (planErrors.containsKey(p)) {
                poisson.put(p, Cost.plannerInfeasible(planErrors.get(p)));
                burstyCosts.put(p, Cost.plannerInfeasible(planErrors.get(p)));
                continue;
            }
            PlannedDeployment d = new PlannedDeployment(plans.get(p), sim);
            poisson.put(p, search(p, d, CapacitySearch.of(d), poissonWorkload, seed));
            if (burstyWorkload != null && !p.equals(EXACT)) {
                if (p.equals("stratus")) {
                    // Under bursts Stratus plans for them (its candidates verified under the burst too) and runs as
                    // the real system does: its control loop re-plans from there.
                    ctx = ctx != null ? ctx : PlanningContext.build(w.request(), profiles, PlannerSettings.defaults());
                    VerifiedPlanner.Outcome o = VerifiedPlanner.plan(w.request(), profiles, PlannerSettings.defaults(),
                            options.verification().withChecks(List.of(VerifiedPlanner.Check.POISSON,
                                    VerifiedPlanner.Check.BURSTY)));
                    PlannedDeployment burstPlan = new PlannedDeployment(o.plan(), sim);
                    double scale = o.verified() ? PlanSimulation.BURST_PEAK : 1;
                    burstyCosts.put(p, search(p, burstPlan, CapacitySearch.replanning(burstPlan, ctx, scale),
                            burstyWorkload, seed));
                } else {
                    burstyCosts.put(p, search(p, d, CapacitySearch.of(d), burstyWorkload, seed));
                }
            }
        }
        Plan stratus = plans.get("stratus");
        return new WorkloadResult(w, poisson, burstyCosts, exactCost, noColo,
                stratus == null ? Double.NaN : stratus.costPerHour(), exactMillis, verification);
    }

    static int replicas(Plan plan) {
        int n = plan.groups().stream().mapToInt(g -> g.replicas()).sum();
        for (var mp : plan.modelPlans()) {
            n += mp.tuples().stream().filter(t -> !t.shared()).mapToInt(t -> t.replicas()).sum();
        }
        return n;
    }

    Cost search(String label, PlannedDeployment d, CapacitySearch.Scalable scalable, SimWorkload workload, long seed) {
        CapacitySearch.Outcome o = CapacitySearch.run(label, scalable, workload, seed, options.limits());
        return new Cost(o.feasible() ? "ok" : "infeasible", d.plan().costPerHour(), o.first().attainment(),
                o.costPerHour(), o.rounds(), o.maxFactor(), o.failing());
    }

    Runtime runtime(int models) {
        int warmups = models >= 10000 ? 0 : 3;
        int runs = models >= 10000 ? 2 : models >= 1000 ? 5 : 9;
        for (int i = 0; i < warmups; i++) {
            PlannerScaleWorkload.timeHeuristic(models, 100 + i);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            ms[i] = PlannerScaleWorkload.timeHeuristic(models, 1 + i).millis();
        }
        int verifiedRuns = models >= 1000 ? 1 : 3;
        double[] verified = new double[verifiedRuns];
        String note = "";
        for (int i = 0; i < verifiedRuns; i++) {
            PlannerScaleWorkload.Workload w = PlannerScaleWorkload.generate(models, 1 + i);
            long t = System.nanoTime();
            VerifiedPlanner.Outcome o = VerifiedPlanner.plan(w.request(), w.profiles(), PlannerSettings.defaults(),
                    options.verification());
            verified[i] = (System.nanoTime() - t) / 1e6;
            note = o.verified() ? String.format(Locale.ROOT, "%d candidates, %,d requests simulated",
                    o.checked().size(), o.requests()) : o.note();
        }
        return new Runtime(models, runs, Result.median(ms), Arrays.stream(ms).min().orElse(0),
                Arrays.stream(ms).max().orElse(0), Result.median(verified), note);
    }
}
