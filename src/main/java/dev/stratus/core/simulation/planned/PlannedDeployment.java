package dev.stratus.core.simulation.planned;

import dev.stratus.core.model.plan.ColocationGroup;
import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanTuple;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.planning.PlanningContext;
import dev.stratus.core.simulation.BatchRule;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingPolicy;
import dev.stratus.core.simulation.ServiceTime;
import dev.stratus.core.simulation.SimDispatch;
import dev.stratus.core.simulation.policy.AimdBatchSizing;
import dev.stratus.core.simulation.policy.AimdSettings;
import dev.stratus.core.simulation.policy.HpaPolicy;
import dev.stratus.core.simulation.policy.HpaSettings;
import dev.stratus.core.simulation.policy.KpaPolicy;
import dev.stratus.core.simulation.policy.KpaSettings;
import dev.stratus.core.simulation.policy.PolicySetup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A planner-made {@link Plan} as replica groups for the simulator, with an optional capacity factor per group (how
 * {@link CapacitySearch} buys headroom).
 *
 * <p>Mapping: each co-location group becomes one {@link ReplicaGroup} whose members are the co-located models (each
 * with its shared tuple's batch, max queue delay and rate as its share); every other tuple becomes a group of its
 * own. A model's groups receive its requests in proportion to the tuples' planned rates. Dispatch: BATCH_AWARE stays
 * batch-aware; SPREAD and Nexus' DEFICIT_ROUND_ROBIN become round robin (an approximation for DRR: Nexus weights
 * replicas by planned throughput, and a group's replicas are identical, so plain round robin differs only in the
 * order of the equal weights). Batching: {@code stratus} runs the Stratus worker's deadline-aware batcher, {@code nexus}
 * its sliding window, {@code static-peak} the Stratus worker's batcher (the same data plane, provisioned for peak),
 * the dynamic baselines FIFO (Triton, Knative/KServe, Clipper do not shed late requests).
 *
 * <p>Dynamic baselines keep their loops: {@code triton-hpa} runs {@link HpaPolicy} and {@code kpa} {@link KpaPolicy},
 * with the settings recorded in the plan's parameters; {@code clipper-aimd} keeps its replicas and adapts each
 * replica's batch cap from 1 up to the recorded {@code maxBatch} by AIMD.
 *
 * <p>A factor f &gt; 1 on a group multiplies its replicas (rounded up); for HPA and KPA it also divides the target
 * utilisation by f, so that the loop keeps the extra headroom instead of scaling it away.
 */
public final class PlannedDeployment {
    private final Plan plan;
    private final PlanSimulation sim;
    private final List<ReplicaGroup> base = new ArrayList<>();
    private final List<Map<String, Double>> parameters = new ArrayList<>(); // per group: its first member's plan parameters

    public PlannedDeployment(Plan plan, PlanSimulation sim) {
        this.plan = plan;
        this.sim = sim;
        String policy = plan.policy();
        BatchRule formation = switch (policy) {
            case "nexus" -> BatchRule.SLIDING_WINDOW;
            case "triton-hpa", "kpa", "clipper-aimd" -> BatchRule.FIFO;
            default -> BatchRule.DEADLINE_AWARE;
        };
        boolean clipper = policy.equals("clipper-aimd");
        Map<String, List<GroupMember>> colocated = new LinkedHashMap<>();
        Map<String, DispatchPolicy> colocatedDispatch = new LinkedHashMap<>();
        for (ColocationGroup g : plan.groups()) {
            colocated.put(g.id(), new ArrayList<>());
        }
        Map<String, Map<String, Double>> groupParameters = new LinkedHashMap<>();
        for (ModelPlan mp : plan.modelPlans()) {
            for (PlanTuple t : mp.tuples()) {
                ServiceTime st = sim.serviceTime(mp.model(), t.pool()).orElseThrow(() -> new IllegalArgumentException(
                        "model " + mp.model() + ": no profile for pool " + t.pool() + "'s hardware"));
                int batch = Math.min(t.batch(), st.maxBatch());
                if (clipper) {
                    // AIMD explores from 1 up to the largest batch Clipper may use.
                    batch = (int) Math.max(1, Math.min(st.maxBatch(),
                            mp.parameters().getOrDefault("maxBatch", (double) st.maxBatch())));
                }
                double share = t.ratePerSecond() > 0 ? t.ratePerSecond() : 1e-9;
                GroupMember member = new GroupMember(mp.model(), batch, t.maxQueueDelayMs(), share, st);
                if (t.shared()) {
                    List<GroupMember> members = colocated.get(t.colocationGroup());
                    if (members == null) {
                        throw new IllegalArgumentException("model " + mp.model() + ": tuple names unknown co-location group "
                                + t.colocationGroup());
                    }
                    members.add(member);
                    colocatedDispatch.putIfAbsent(t.colocationGroup(), t.dispatch());
                    groupParameters.putIfAbsent(t.colocationGroup(), mp.parameters());
                } else {
                    add(t.pool(), List.of(member), t.replicas(), dispatch(t.dispatch()), formation, mp.parameters());
                }
            }
        }
        for (ColocationGroup g : plan.groups()) {
            add(g.pool(), colocated.get(g.id()), g.replicas(),
                    dispatch(colocatedDispatch.getOrDefault(g.id(), DispatchPolicy.BATCH_AWARE)), formation,
                    groupParameters.getOrDefault(g.id(), Map.of()));
        }
    }

    private void add(String poolName, List<GroupMember> members, int replicas, SimDispatch dispatch,
            BatchRule formation, Map<String, Double> params) {
        Pool pool = sim.request().pool(poolName);
        base.add(new ReplicaGroup(pool.name(), pool.costPerHour(), pool.networkRttMs(), members, replicas, dispatch,
                ReplicaGroup.DEFAULT_MAX_QUEUE, formation));
        parameters.add(params);
    }

    /** The plan's dispatch as the simulator's: batch-aware stays, SPREAD and deficit round robin become round robin. */
    public static SimDispatch dispatch(DispatchPolicy d) {
        return d == DispatchPolicy.BATCH_AWARE ? SimDispatch.BATCH_AWARE : SimDispatch.ROUND_ROBIN;
    }

    public Plan plan() {
        return plan;
    }

    /** The groups as planned (factor 1). */
    public List<ReplicaGroup> groups() {
        return List.copyOf(base);
    }

    public int groupCount() {
        return base.size();
    }

    /** Replicas of group {@code g} under factor {@code f}: ceil(planned × f). */
    public static int replicas(int planned, double f) {
        return (int) Math.ceil(planned * f - 1e-9);
    }

    /** Whether the policy changes replica counts while running (HPA, KPA). */
    public boolean autoscaled() {
        return plan.policy().equals("triton-hpa") || plan.policy().equals("kpa");
    }

    public PolicySetup setup() {
        double[] ones = new double[base.size()];
        java.util.Arrays.fill(ones, 1.0);
        return setup(ones);
    }

    /** The deployment with group g's capacity multiplied by {@code factors[g]} (≥ 1). */
    public PolicySetup setup(double[] factors) {
        if (factors.length != base.size()) {
            throw new IllegalArgumentException("one factor per group needed: " + base.size() + ", got " + factors.length);
        }
        List<ReplicaGroup> groups = new ArrayList<>();
        for (int g = 0; g < base.size(); g++) {
            groups.add(base.get(g).withReplicas(replicas(base.get(g).replicas(), factors[g])));
        }
        ScalingPolicy policy = switch (plan.policy()) {
            case "triton-hpa" -> perGroup(groups, factors, this::hpa);
            case "kpa" -> perGroup(groups, factors, this::kpa);
            case "clipper-aimd" -> clipper();
            default -> ScalingPolicy.none();
        };
        return new PolicySetup(groups, policy, false, stageSlos());
    }

    /**
     * The deployment run by Stratus' control loop ({@link ReplanLoop}: the real loop's forecaster and re-plan rule,
     * the planner's sizing) instead of as a static plan; scale-ups start pre-warmed (the profile's cached cold
     * start). {@code factors} multiply the starting replicas (and so every size the loop sets); {@code rateScale}
     * is the rate the plan holds as a multiple of the expected one (1, or the burst peak for a plan verified to hold
     * bursts): the re-plan rule's starting point.
     */
    public PolicySetup setupWithReplanning(double[] factors, PlanningContext ctx, double rateScale) {
        PolicySetup plain = setup(factors);
        return new PolicySetup(plain.groups(), new ReplanLoop(plain.groups(), ctx, rateScale), true,
                plain.sloMsOverrides());
    }

    private interface GroupPolicy {
        ScalingPolicy make(ReplicaGroup group, Map<String, Double> params, double factor);
    }

    private ScalingPolicy perGroup(List<ReplicaGroup> groups, double[] factors, GroupPolicy make) {
        List<ScalingPolicy> policies = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            policies.add(make.make(groups.get(g), parameters.get(g), factors[g]));
        }
        return new PerGroupPolicy(policies);
    }

    private ScalingPolicy hpa(ReplicaGroup group, Map<String, Double> p, double factor) {
        HpaSettings d = HpaSettings.defaults();
        int min = (int) Math.round(p.getOrDefault("minReplicas", (double) d.minReplicas()));
        int max = Math.max(group.replicas(), (int) Math.round(p.getOrDefault("maxReplicas", (double) d.maxReplicas())));
        return new HpaPolicy(new HpaSettings(p.getOrDefault("targetUtilisation", d.targetUtilisation()) / factor,
                p.getOrDefault("tolerance", d.tolerance()), p.getOrDefault("syncPeriodSeconds", d.syncPeriodSeconds()),
                p.getOrDefault("scaleDownStabilisationSeconds", d.scaleDownStabilisationSeconds()), d.scaleUpPercent(),
                d.scaleUpPods(), Math.max(1, min), Math.max(max, Math.max(1, min))));
    }

    private ScalingPolicy kpa(ReplicaGroup group, Map<String, Double> p, double factor) {
        KpaSettings d = KpaSettings.defaults();
        double stable = p.getOrDefault("stableWindowSeconds", d.stableWindowSeconds());
        double panicWindow = p.getOrDefault("panicWindowSeconds", d.panicWindowSeconds());
        double target = p.getOrDefault("containerConcurrencyTarget",
                (double) group.members().stream().mapToInt(GroupMember::batch).sum());
        KpaSettings s = new KpaSettings(0, p.getOrDefault("targetUtilisation", d.targetUtilisation()) / factor, stable,
                100 * panicWindow / stable, 100 * p.getOrDefault("panicThreshold", d.panicThresholdPercent() / 100),
                d.tickSeconds(), d.maxScaleUpRate(), d.maxScaleDownRate(),
                Math.max(1, (int) Math.round(p.getOrDefault("minScale", (double) d.minReplicas()))), d.maxReplicas());
        return new KpaPolicy(s, g -> target);
    }

    private ScalingPolicy clipper() {
        Map<String, Double> p = parameters.isEmpty() ? Map.of() : parameters.get(0);
        double decrease = p.getOrDefault("multiplicativeDecrease", 1 - AimdSettings.defaults().backoff());
        AimdBatchSizing sizing = new AimdBatchSizing(new AimdSettings(
                (int) Math.round(p.getOrDefault("additiveIncrease", (double) AimdSettings.defaults().additiveStep())),
                1 - decrease));
        return new ScalingPolicy() {
            @Override
            public List<dev.stratus.core.simulation.ScalingDecision> onTick(dev.stratus.core.simulation.ControlSnapshot s) {
                return List.of();
            }

            @Override
            public dev.stratus.core.simulation.BatchSizing batchSizing(int group, GroupMember member) {
                return sizing;
            }
        };
    }

    /** Pipeline-only stages are measured against the stage budget this plan gave them. */
    public Map<String, Double> stageSlos() {
        Map<String, Double> slos = new LinkedHashMap<>();
        for (ModelPlan mp : plan.modelPlans()) {
            if (sim.request().model(mp.model()).ownSlo().isEmpty()) {
                slos.put(mp.model(), mp.latencyBudgetMs());
            }
        }
        return slos;
    }
}
