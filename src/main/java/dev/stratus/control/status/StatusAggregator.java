package dev.stratus.control.status;

import dev.stratus.control.driver.ServiceDriver.State;
import dev.stratus.control.driver.ServiceDriver.Verdict;
import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupTarget;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PipelinePlan;
import dev.stratus.core.model.plan.PlanTuple;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.resource.AcceleratorPoolStatus;
import dev.stratus.resource.Condition;
import dev.stratus.resource.InferenceModelStatus;
import dev.stratus.resource.InferencePipelineStatus;
import dev.stratus.resource.ModelReplicas;
import dev.stratus.resource.ModelRouting;
import dev.stratus.resource.ObservedTraffic;
import dev.stratus.resource.PlanTupleStatus;
import dev.stratus.resource.ProfileSummary;
import dev.stratus.resource.StageBudget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes the status of each resource from what the control loop knows: the driver's verdict, the profiles, the
 * plan, the fleet target, the observed replicas and the traffic. Pure: the same inputs give an equal status, so
 * the operator writes a status only when it differs from the stored one (no write storms), and every condition
 * carries the generation it reflects.
 */
public final class StatusAggregator {
    public static final String PROFILED = "Profiled";
    public static final String PLANNED = "Planned";
    public static final String READY = "Ready";
    public static final String SLO_MET = "SLOMet";
    /** Observed figures are refreshed at most this often, so that steady traffic does not rewrite the status. */
    public static final long OBSERVATION_PERIOD_MILLIS = 30_000;
    /** Verdicts that are about the resource's own spec: nothing about its profile can be said. */
    static final java.util.Set<String> SPEC_REASONS = java.util.Set.of("InvalidSpec", "UnknownPool", "UnknownModel");
    public static final String PROFILE_FAILED = "ProfileJobFailed";

    private StatusAggregator() {
    }

    /** Why a model's replicas cannot start, as seen on its pods (a failing model fetch, a pod that failed). */
    public record ReplicaProblem(String reason, String message) {
    }

    /** Traffic accumulated over a status period, with its length. */
    public record Traffic(TrafficSample sample, double seconds, long endMillis) {
    }

    /** Everything a model's status is made of. */
    public record ModelInputs(String model, long generation, InferenceModelStatus previous, long nowMillis,
            Verdict verdict, List<Profile> profiles, List<String> unprofiledHardware, Optional<Plan> plan,
            List<Pool> pools, FleetTarget target, List<Replica> replicas, Optional<ReplicaProblem> problem,
            Optional<Traffic> traffic, double targetAttainment, Optional<ModelRouting> routing) {
    }

    public static InferenceModelStatus model(ModelInputs in) {
        Conditions c = new Conditions(in.previous() == null ? null : in.previous().conditions(), in.generation(),
                in.nowMillis());
        Verdict v = in.verdict();
        boolean invalid = v.state() == State.REJECTED && SPEC_REASONS.contains(v.reason());
        if (invalid) {
            c.set(PROFILED, Condition.UNKNOWN, v.reason(), v.message());
        } else if (in.profiles().isEmpty()) {
            c.set(PROFILED, false, PROFILE_FAILED.equals(v.reason()) ? PROFILE_FAILED : "ProfilePending",
                    PROFILE_FAILED.equals(v.reason()) ? v.message() : "no profile yet for " + String.join(", ",
                    in.unprofiledHardware()) + "; a profiling Job measures it");
        } else {
            String summary = String.join("; ", in.profiles().stream().map(StatusAggregator::summary).toList());
            c.set(PROFILED, true, "ProfileFound", summary + (in.unprofiledHardware().isEmpty() ? ""
                    : "; still profiling " + String.join(", ", in.unprofiledHardware())));
        }
        Optional<ModelPlan> mp = v.admitted() ? in.plan().flatMap(p -> p.modelPlan(in.model())) : Optional.empty();
        if (mp.isPresent()) {
            c.set(PLANNED, true, "Planned", String.format("%d tuple(s), %.1f%% at the edge, worst predicted latency "
                    + "%.1f ms", mp.get().tuples().size(), mp.get().edgeShare() * 100,
                    mp.get().predictedWorstLatencyMs()));
        } else if (v.state() == State.WAITING_FOR_PROFILE) {
            c.set(PLANNED, false, "AwaitingProfile", v.message());
        } else if (!v.admitted()) {
            c.set(PLANNED, false, v.reason(), v.message());
        } else {
            c.set(PLANNED, false, "Planning", "the control loop has not planned it yet");
        }
        List<GroupTarget> groups = in.target().groups().stream()
                .filter(g -> g.spec().models().contains(in.model())).toList();
        int desiredServing = groups.stream().mapToInt(GroupTarget::serving).sum();
        int desiredStandby = groups.stream().mapToInt(GroupTarget::standby).sum();
        List<String> groupIds = groups.stream().map(g -> g.spec().groupId()).toList();
        int serving = count(in.replicas(), groupIds, ReplicaState.SERVING);
        int standby = count(in.replicas(), groupIds, ReplicaState.STANDBY);
        int starting = count(in.replicas(), groupIds, ReplicaState.STARTING);
        if (mp.isEmpty()) {
            c.set(READY, false, "NotPlanned", "the model is not planned (see the Planned condition)");
        } else if (in.problem().isPresent()) {
            c.set(READY, false, in.problem().get().reason(), in.problem().get().message());
        } else if (desiredServing > 0 && serving >= desiredServing) {
            c.set(READY, true, "ReplicasReady", serving + " of " + desiredServing + " replica(s) serving, "
                    + standby + " warm standby");
        } else {
            c.set(READY, false, "ReplicasStarting", serving + " of " + desiredServing + " replica(s) serving, "
                    + starting + " starting");
        }
        ObservedTraffic observed = observed(in.previous() == null ? null : in.previous().observed(), in.traffic(),
                in.nowMillis());
        if (observed == null || observed.attainment() == null) {
            c.set(SLO_MET, Condition.UNKNOWN, "NoTraffic", "no request ended in the last period");
        } else {
            boolean met = observed.attainment() >= in.targetAttainment();
            c.set(SLO_MET, met, met ? "WithinSLO" : "SLOMissed", String.format("%.2f%% within the SLO (target "
                    + "%.2f%%), p99 %s ms", observed.attainment() * 100, in.targetAttainment() * 100,
                    observed.p99Ms() == null ? "-" : observed.p99Ms()));
        }
        return new InferenceModelStatus(in.generation(), c.build(),
                in.profiles().isEmpty() ? null : in.profiles().stream().map(StatusAggregator::profileSummary).toList(),
                mp.map(m -> m.tuples().stream().map(StatusAggregator::tuple).toList()).orElse(null),
                mp.map(m -> round(m.edgeShare(), 3)).orElse(null),
                mp.isEmpty() && serving + standby + starting == 0 ? null
                        : new ModelReplicas(serving, standby, starting, desiredServing, desiredStandby),
                observed, mp.isEmpty() ? null : round(cost(in.model(), groups, in.pools()), 4),
                mp.isEmpty() ? null : in.routing().orElse(null));
    }

    /**
     * The observed block: kept as it was while its figures stay within their tolerances ({@link #near}), or while
     * the last refresh is more recent than a period; otherwise the new figures.
     */
    static ObservedTraffic observed(ObservedTraffic previous, Optional<Traffic> traffic, long now) {
        if (traffic.isEmpty()) {
            return previous;
        }
        TrafficSample s = traffic.get().sample();
        double seconds = Math.max(1e-3, traffic.get().seconds());
        ObservedTraffic next = new ObservedTraffic(round((s.admitted() + s.shed()) / seconds, 1),
                Double.isNaN(s.p99Ms()) ? null : round(s.p99Ms(), 1),
                s.total() == 0 ? null : round(s.attainment(), 4), round(s.shed() / seconds, 1),
                Instant.ofEpochMilli(traffic.get().endMillis()).toString());
        if (previous == null) {
            return next;
        }
        boolean same = near(previous.ratePerSecond(), next.ratePerSecond(), 0.05, 0.5)
                && near(previous.p99Ms(), next.p99Ms(), 0.10, 0.5)
                && near(previous.attainment(), next.attainment(), 0, 0.005)
                && near(previous.shedPerSecond(), next.shedPerSecond(), 0.05, 0.5);
        boolean recent = previous.sampledAt() != null
                && now - Instant.parse(previous.sampledAt()).toEpochMilli() < OBSERVATION_PERIOD_MILLIS;
        return same || recent ? previous : next;
    }

    /**
     * Whether a figure moved less than a relative or an absolute tolerance: Poisson noise in a steady load must not
     * rewrite the status (5 % in rate, 10 % in p99, half a point of attainment).
     */
    static boolean near(Double before, Double after, double relative, double absolute) {
        if (before == null || after == null) {
            return Objects.equals(before, after);
        }
        double d = Math.abs(before - after);
        return d <= absolute || d <= relative * Math.abs(before);
    }

    /** A model's share of the replicas it runs on: whole dedicated groups, an equal share of co-located ones. */
    private static double cost(String model, List<GroupTarget> groups, List<Pool> pools) {
        double cost = 0;
        for (GroupTarget g : groups) {
            String pool = g.spec().groupId().substring(g.spec().groupId().lastIndexOf('@') + 1);
            double perReplica = pools.stream().filter(p -> p.name().equals(pool)).mapToDouble(Pool::costPerHour)
                    .findFirst().orElse(0);
            cost += (g.serving() + g.standby()) * perReplica / g.spec().models().size();
        }
        return cost;
    }

    private static int count(List<Replica> replicas, List<String> groups, ReplicaState state) {
        return (int) replicas.stream().filter(r -> groups.contains(r.groupId()) && r.state() == state).count();
    }

    private static PlanTupleStatus tuple(PlanTuple t) {
        return new PlanTupleStatus(t.pool(), t.batch(), round(t.maxQueueDelayMs(), 2), t.replicas(),
                round(t.ratePerSecond(), 2), round(t.predictedWorstLatencyMs(), 2),
                t.shared() ? t.colocationGroup() : null);
    }

    private static ProfileSummary profileSummary(Profile p) {
        BatchMeasurement first = p.batches().get(0);
        BatchMeasurement last = p.batches().get(p.batches().size() - 1);
        return new ProfileSummary(p.hardwareId(), p.maxBatch(), round(first.meanMs(), 2),
                round(last.throughputPerSecond(), 1));
    }

    private static String summary(Profile p) {
        ProfileSummary s = profileSummary(p);
        return String.format("%s: batches %d..%d, %.2f ms at batch %d", p.hardwareId(), p.batches().get(0).batch(),
                s.maxBatch(), s.batch1MeanMs(), p.batches().get(0).batch());
    }

    /** A pool's status: replicas the fleet target places there out of its maximum, and their cost. */
    public static AcceleratorPoolStatus pool(String name, long generation, AcceleratorPoolStatus previous,
            long nowMillis, Verdict verdict, Optional<Pool> pool, FleetTarget target, Integer maxReplicas) {
        return pool(name, generation, previous, nowMillis, verdict, pool, target, maxReplicas, Optional.empty());
    }

    /** The type of an edge pool's condition about its site's gateway (Kubernetes only). */
    public static final String SITE_GATEWAY_READY = "SiteGatewayReady";

    /** A fact about a pool from outside the control loop: whether its site's gateway is ready, and why. */
    public record PoolFact(boolean ready, String reason, String message) {
    }

    /** @param siteGateway how the gateway of the pool's edge site is doing; empty for a pool at no edge site */
    public static AcceleratorPoolStatus pool(String name, long generation, AcceleratorPoolStatus previous,
            long nowMillis, Verdict verdict, Optional<Pool> pool, FleetTarget target, Integer maxReplicas,
            Optional<PoolFact> siteGateway) {
        Conditions c = new Conditions(previous == null ? null : previous.conditions(), generation, nowMillis);
        int inUse = target.groups().stream().filter(g -> g.spec().groupId().endsWith("@" + name))
                .mapToInt(g -> g.serving() + g.standby()).sum();
        if (verdict.admitted() && pool.isPresent()) {
            c.set(READY, true, "Accepted", "offered to the planner: " + inUse + " of " + pool.get().maxReplicas()
                    + " replica(s) in use");
        } else {
            c.set(READY, false, verdict.reason(), verdict.message());
        }
        siteGateway.ifPresent(f -> c.set(SITE_GATEWAY_READY, f.ready(), f.reason(), f.message()));
        double cost = pool.map(p -> inUse * p.costPerHour()).orElse(0.0);
        return new AcceleratorPoolStatus(generation, c.build(), inUse, maxReplicas, round(cost, 4));
    }

    /** A pipeline's status: its stage budgets when planned, Ready when every stage is. */
    public static InferencePipelineStatus pipeline(String name, long generation, InferencePipelineStatus previous,
            long nowMillis, Verdict verdict, Optional<Plan> plan, Map<String, Boolean> stagesReady) {
        Conditions c = new Conditions(previous == null ? null : previous.conditions(), generation, nowMillis);
        Optional<PipelinePlan> pp = verdict.admitted() ? plan.flatMap(p -> p.pipelines().stream()
                .filter(x -> x.pipeline().equals(name)).findFirst()) : Optional.empty();
        if (pp.isPresent()) {
            c.set(PLANNED, true, "Planned", "budgets split by " + pp.get().method());
        } else {
            c.set(PLANNED, false, verdict.admitted() ? "Planning" : verdict.reason(),
                    verdict.admitted() ? "the control loop has not planned it yet" : verdict.message());
        }
        List<String> notReady = new ArrayList<>();
        stagesReady.forEach((stage, ready) -> {
            if (!ready) {
                notReady.add(stage);
            }
        });
        boolean ready = pp.isPresent() && notReady.isEmpty();
        c.set(READY, ready, ready ? "StagesReady" : pp.isEmpty() ? "NotPlanned" : "StagesNotReady",
                ready ? "every stage is ready" : pp.isEmpty() ? "the pipeline is not planned"
                        : "not ready: " + String.join(", ", notReady));
        return new InferencePipelineStatus(generation, c.build(),
                pp.map(p -> p.stageBudgetsMs().entrySet().stream()
                        .map(e -> new StageBudget(e.getKey(), round(e.getValue(), 2))).toList()).orElse(null),
                pp.map(p -> round(p.predictedWorstPathMs(), 2)).orElse(null));
    }

    static double round(double value, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(value * f) / f;
    }
}
