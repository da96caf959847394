package dev.stratus.core.simulation.planned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingPolicy;
import dev.stratus.core.simulation.ServiceTime;
import dev.stratus.core.simulation.SimDispatch;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.SimPool;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.arrival.ConstantArrivals;
import dev.stratus.core.simulation.policy.PolicySetup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacitySearchTest {
    private static final ColdStart NONE = new ColdStart(0, 0, 0, 0, false);
    private static final SimPool POOL = new SimPool("p", 2.0, 0);

    /** Deterministic l(b) = 10 ms flat (batch 1 only), constant arrivals: a replica serves exactly 100/s. */
    private static SimModel model(String name, double rate, double sloMs) {
        return new SimModel(name, sloMs, 0.99, ServiceTime.linear(0, 10, 0, 1), NONE, null, new ConstantArrivals(rate, 0));
    }

    /** Static groups, one per model, one replica each as planned. */
    private static CapacitySearch.Scalable groups(List<String> models, List<Integer> planned) {
        return new CapacitySearch.Scalable() {
            @Override
            public int groupCount() {
                return models.size();
            }

            @Override
            public int plannedReplicas(int group) {
                return planned.get(group);
            }

            @Override
            public PolicySetup setup(double[] factors) {
                List<ReplicaGroup> gs = new ArrayList<>();
                for (int g = 0; g < models.size(); g++) {
                    gs.add(ReplicaGroup.single(models.get(g), POOL, 1, 0,
                            PlannedDeployment.replicas(planned.get(g), factors[g]), SimDispatch.ROUND_ROBIN, 1));
                }
                return new PolicySetup(gs, ScalingPolicy.none(), false);
            }
        };
    }

    @Test
    void growsOnlyTheFailingModelsGroupsUntilTheTargetIsMet() {
        // a: 350/s needs 4 replicas of 100/s (3.5 busy); b: 50/s is fine on its one replica.
        SimWorkload w = new SimWorkload(List.of(model("a", 350, 100), model("b", 50, 100)), List.of(POOL), 60, 1);
        CapacitySearch.Outcome o = CapacitySearch.run("t", groups(List.of("a", "b"), List.of(1, 1)), w, 1,
                CapacitySearch.Limits.defaults());
        assertTrue(o.feasible());
        assertEquals(4, o.rounds(), "1 -> 2 -> 3 -> 4 replicas for a, one simulation each");
        assertEquals(4.0, o.factors()[0], 1e-12);
        assertEquals(1.0, o.factors()[1], 1e-12, "b met its target from the start and is never grown");
        assertEquals((4 + 1) * 2.0, o.costPerHour(), 1e-9);
        assertTrue(o.failing().isEmpty());
        assertFalse(o.first().model("a").meetsTarget());
    }

    @Test
    void aPlanThatMeetsTheTargetCostsWhatItPlanned() {
        SimWorkload w = new SimWorkload(List.of(model("a", 50, 100)), List.of(POOL), 30, 1);
        CapacitySearch.Outcome o = CapacitySearch.run("t", groups(List.of("a"), List.of(1)), w, 1,
                CapacitySearch.Limits.defaults());
        assertTrue(o.feasible());
        assertEquals(1, o.rounds());
        assertEquals(2.0, o.costPerHour(), 1e-9);
    }

    @Test
    void infeasibleWhenCapacityCannotHelp() {
        // SLO 5 ms < l(1) = 10 ms: every request misses however many replicas there are.
        SimWorkload w = new SimWorkload(List.of(model("a", 50, 5)), List.of(POOL), 10, 1);
        CapacitySearch.Outcome o = CapacitySearch.run("t", groups(List.of("a"), List.of(2)), w, 1,
                new CapacitySearch.Limits(30, 4));
        assertFalse(o.feasible());
        assertEquals(List.of("a"), o.failing());
        assertTrue(o.maxFactor() <= 4 + 1e-9);
        // 2 -> 3 -> 4 -> 5 -> 6 -> 7 -> 8 replicas, then 9 would exceed 4x: seven simulations.
        assertEquals(7, o.rounds());
        CapacitySearch.Outcome capped = CapacitySearch.run("t", groups(List.of("a"), List.of(2)), w, 1,
                new CapacitySearch.Limits(2, 4));
        assertFalse(capped.feasible());
        assertEquals(2, capped.rounds());
    }

    @Test
    void stepsAreOneReplicaOrTenPercent() {
        assertEquals(2.0, CapacitySearch.nextFactor(1, 1.0), 1e-12);
        assertEquals(1.1, CapacitySearch.nextFactor(10, 1.0), 1e-12);
        assertEquals(1.3, CapacitySearch.nextFactor(10, 1.1), 1e-12, "11 replicas + ceil(1.1) = 13");
        assertEquals(22 / 20.0, CapacitySearch.nextFactor(20, 1.0), 1e-12);
        assertEquals(37 / 30.0, CapacitySearch.nextFactor(30, 1.1), 1e-12, "33 replicas + ceil(3.3) = 37");
    }
}
