package dev.stratus.core.simulation.planned;

import dev.stratus.core.planning.PlanningContext;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ModelResult;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.SimResult;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.Simulator;
import dev.stratus.core.simulation.policy.PolicySetup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cost of a deployment at its target SLO attainment: simulate it; while some model misses its target
 * attainment, give every group serving such a model more capacity, max(1 replica, 10 %) more (for autoscaled
 * groups: the same on the starting replicas and on the loop's target utilisation), and simulate again, until every
 * model meets its target (feasible; the run's $/h is the answer) or a group would exceed {@code maxFactor} times its
 * planned capacity or {@code maxRounds} rounds are done (infeasible). Only groups of failing models grow, so a
 * model that is fine is never charged for another's trouble. Pool capacity limits are not enforced while scaling up
 * (the extra replicas are paid at the pool's price). Deterministic: every round uses the same seed, hence the same
 * arrivals.
 */
public final class CapacitySearch {

    /** The search's limits: rounds, and the largest factor a group's capacity may reach. */
    public record Limits(int maxRounds, double maxFactor) {
        public Limits {
            if (maxRounds < 1 || !(maxFactor >= 1)) {
                throw new IllegalArgumentException("maxRounds >= 1 and maxFactor >= 1 required");
            }
        }

        public static Limits defaults() {
            return new Limits(30, 4);
        }
    }

    /**
     * @param feasible    every model met its target in the last run
     * @param costPerHour the last run's average $/h (the answer when feasible)
     * @param rounds      simulations run
     * @param factors     the final capacity factor per group
     * @param last        the last run
     * @param first       the first run (the plan as made)
     */
    public record Outcome(boolean feasible, double costPerHour, int rounds, double[] factors, SimResult last,
            SimResult first) {
        public double maxFactor() {
            return Arrays.stream(factors).max().orElse(1);
        }

        /** Models below target in the last run. */
        public List<String> failing() {
            return failingModels(last);
        }
    }

    /** Something whose capacity can be multiplied per group. */
    public interface Scalable {
        int groupCount();

        /** Group g's replicas at factor 1. */
        int plannedReplicas(int group);

        PolicySetup setup(double[] factors);
    }

    private CapacitySearch() {
    }

    public static Scalable of(PlannedDeployment d) {
        return scalable(d, d::setup);
    }

    /** A Stratus plan run by its control loop ({@link PlannedDeployment#setupWithReplanning}). */
    public static Scalable replanning(PlannedDeployment d, PlanningContext ctx, double rateScale) {
        return scalable(d, factors -> d.setupWithReplanning(factors, ctx, rateScale));
    }

    private static Scalable scalable(PlannedDeployment d, java.util.function.Function<double[], PolicySetup> setup) {
        return new Scalable() {
            @Override
            public int groupCount() {
                return d.groupCount();
            }

            @Override
            public int plannedReplicas(int group) {
                return d.groups().get(group).replicas();
            }

            @Override
            public PolicySetup setup(double[] factors) {
                return setup.apply(factors);
            }
        };
    }

    public static Outcome run(String label, Scalable deployment, SimWorkload workload, long seed, Limits limits) {
        double[] factors = new double[deployment.groupCount()];
        Arrays.fill(factors, 1.0);
        SimResult first = null;
        for (int round = 1; ; round++) {
            PolicySetup setup = deployment.setup(factors);
            SimResult r = Simulator.run(label, setup.toConfig(workload), setup.policy(), seed);
            if (first == null) {
                first = r;
            }
            List<String> failing = failingModels(r);
            if (failing.isEmpty()) {
                return new Outcome(true, r.costPerHour(), round, factors.clone(), r, first);
            }
            if (round >= limits.maxRounds()) {
                return new Outcome(false, r.costPerHour(), round, factors.clone(), r, first);
            }
            boolean grown = false;
            List<ReplicaGroup> groups = setup.groups();
            for (int g = 0; g < groups.size(); g++) {
                ReplicaGroup group = groups.get(g);
                if (group.members().stream().map(GroupMember::model).noneMatch(failing::contains)) {
                    continue;
                }
                int planned = deployment.plannedReplicas(g);
                double next = nextFactor(Math.max(1, planned), factors[g]);
                if (next > limits.maxFactor() + 1e-9) {
                    return new Outcome(false, r.costPerHour(), round, factors.clone(), r, first);
                }
                factors[g] = next;
                grown = true;
            }
            if (!grown) {
                return new Outcome(false, r.costPerHour(), round, factors.clone(), r, first);
            }
        }
    }

    /** The next factor: replicas(planned, f) grows by max(1, ceil(10 %)) replicas. */
    static double nextFactor(int planned, double factor) {
        int now = PlannedDeployment.replicas(planned, factor);
        int next = now + Math.max(1, (int) Math.ceil(0.1 * now - 1e-9));
        return (double) next / planned;
    }

    static List<String> failingModels(SimResult r) {
        List<String> failing = new ArrayList<>();
        for (ModelResult m : r.models()) {
            if (!m.meetsTarget()) {
                failing.add(m.model());
            }
        }
        return failing;
    }
}
