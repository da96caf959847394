package dev.stratus.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.plan.Tier;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The heuristic against brute force on small random instances (1-3 models, 2-3 pools, an edge pool in some),
 * co-location off on both sides so that they search the same space. Prints the gap table.
 */
class ExactVsHeuristicTest {
    static final int INSTANCES = 40;
    static final PlannerSettings NO_COLOCATION = PlannerSettings.defaults().withColocation(false);

    record Instance(PlanRequest request, MapProfileStore profiles) {
    }

    static Instance instance(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Pool> pools = new ArrayList<>();
        pools.add(new Pool("cpu", Tier.CLOUD, "r", "cpu", "hw", 1.0, 1.0, 2 + r.nextInt(30), 5 + r.nextInt(20), 16000));
        pools.add(new Pool("gpu", Tier.CLOUD, "r", "gpu", "hw", 0.2 + r.nextDouble() * 0.3, 2 + r.nextDouble() * 3,
                2 + r.nextInt(10), 5 + r.nextInt(20), 16000));
        boolean withEdge = r.nextBoolean();
        if (withEdge) {
            pools.add(new Pool("edge", Tier.EDGE, "s", "cpu", "hw", 1.0, 1.5, 1 + r.nextInt(3), 1, 8000));
        }
        MapProfileStore store = new MapProfileStore();
        List<ModelDemand> models = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String name = "m" + i;
            double alpha = 0.5 + r.nextDouble() * 3;
            double beta = 2 + r.nextDouble() * 10;
            store.save(SyntheticProfiles.linear(name, "hw", alpha, beta, 0.05, 64));
            double slo = 40 + r.nextDouble() * 160;
            double rate = 5 + r.nextDouble() * 600;
            models.add(new ModelDemand(name, Slo.of(Math.round(slo)), Math.round(rate), List.of(),
                    withEdge && r.nextInt(3) == 0, 500, 64));
        }
        return new Instance(new PlanRequest(pools, models), store);
    }

    @Test
    void heuristicIsNeverBelowTheOptimumAndMatchesItOnMostInstances() {
        int matched = 0;
        int feasible = 0;
        double worstGap = 0;
        StringBuilder table = new StringBuilder(String.format("%-5s %-7s %-6s %10s %10s %7s%n",
                "seed", "models", "pools", "heuristic", "exact", "gap"));
        for (long seed = 1; seed <= INSTANCES; seed++) {
            Instance in = instance(seed);
            Plan exact;
            try {
                exact = Planner.plan(in.request(), in.profiles(), "stratus", Planner.Solver.EXACT, NO_COLOCATION);
            } catch (PlanningException e) {
                // the heuristic must then fail too
                assertThrows(PlanningException.class, () -> Planner.plan(in.request(), in.profiles(), "stratus",
                        Planner.Solver.HEURISTIC, NO_COLOCATION), "seed " + seed);
                table.append(String.format("%-5d %-7d %-6d %10s %10s %7s%n", seed, in.request().models().size(),
                        in.request().pools().size(), "-", "infeasible", "-"));
                continue;
            }
            feasible++;
            Plan heuristic = Planner.plan(in.request(), in.profiles(), "stratus", Planner.Solver.HEURISTIC, NO_COLOCATION);
            double edgeExact = edgeLoad(exact, in.request());
            double edgeHeuristic = edgeLoad(heuristic, in.request());
            assertTrue(edgeHeuristic <= edgeExact + 1e-6, "seed " + seed + ": heuristic beat the exact edge load");
            double gap = heuristic.costPerHour() / exact.costPerHour() - 1;
            if (Math.abs(edgeHeuristic - edgeExact) <= 1e-6 * Math.max(1, edgeExact)) {
                assertTrue(gap >= -1e-9, "seed " + seed + ": heuristic " + heuristic.costPerHour()
                        + " below the exact optimum " + exact.costPerHour());
            }
            if (Math.abs(gap) <= 1e-9 && Math.abs(edgeHeuristic - edgeExact) <= 1e-6 * Math.max(1, edgeExact)) {
                matched++;
            }
            worstGap = Math.max(worstGap, gap);
            table.append(String.format("%-5d %-7d %-6d %10.2f %10.2f %6.1f%%%n", seed, in.request().models().size(),
                    in.request().pools().size(), heuristic.costPerHour(), exact.costPerHour(), gap * 100));
        }
        table.append(String.format("optimal on %d of %d feasible instances; worst gap %.1f%%%n", matched, feasible,
                worstGap * 100));
        System.out.print(table);
        assertTrue(feasible >= INSTANCES / 2, "too few feasible instances to say anything: " + feasible);
        assertTrue(matched >= 0.8 * feasible, "heuristic optimal on only " + matched + " of " + feasible + "\n" + table);
    }

    /** Load served at the edge by edge-preferring models (the exact solver's first objective). */
    static double edgeLoad(Plan plan, PlanRequest request) {
        return plan.modelPlans().stream().filter(m -> request.model(m.model()).edgePreference())
                .flatMap(m -> m.tuples().stream()).filter(t -> request.pool(t.pool()).isEdge())
                .mapToDouble(t -> t.ratePerSecond()).sum();
    }

    @Test
    void exactMatchesHandComputedOptimumOnOnePool() {
        Instance in = new Instance(new PlanRequest(List.of(Fixtures.cloud("cpu", 1, 100, 5)),
                List.of(Fixtures.model("m", 100, 400))), Fixtures.profiles("m", 2.0, 8.0));
        Plan exact = Planner.plan(in.request(), in.profiles(), "stratus", Planner.Solver.EXACT, NO_COLOCATION);
        Plan heuristic = Planner.plan(in.request(), in.profiles(), "stratus", Planner.Solver.HEURISTIC, NO_COLOCATION);
        assertEquals(heuristic.costPerHour(), exact.costPerHour(), 1e-9);
        assertEquals("exact", exact.solver());
    }

    @Test
    void exactRefusesLargeInstancesAndOtherPolicies() {
        PlannerScaleWorkload.Workload w = PlannerScaleWorkload.generate(10, 1);
        assertThrows(IllegalArgumentException.class, () -> Planner.plan(w.request(), w.profiles(), "stratus",
                Planner.Solver.EXACT, NO_COLOCATION));
        Instance in = instance(1);
        assertThrows(IllegalArgumentException.class, () -> Planner.plan(in.request(), in.profiles(), "nexus",
                Planner.Solver.EXACT, NO_COLOCATION));
    }
}
