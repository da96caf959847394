package dev.stratus.core.simulation.planned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.plan.Tier;
import dev.stratus.core.planning.MapProfileStore;
import dev.stratus.core.planning.Planner;
import dev.stratus.core.planning.PlannerSettings;
import dev.stratus.core.planning.SyntheticProfiles;
import dev.stratus.core.simulation.ModelResult;
import dev.stratus.core.simulation.SimResult;
import dev.stratus.core.simulation.Simulator;
import dev.stratus.core.simulation.policy.PolicySetup;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VerifiedPlannerTest {
    static final String HW = "hw";

    static MapProfileStore profiles() {
        MapProfileStore store = new MapProfileStore();
        store.save(SyntheticProfiles.linear("fast", HW, 0.3, 1.0, 0.1, 64));
        store.save(SyntheticProfiles.linear("slow", HW, 4, 10, 0.1, 32));
        store.save(SyntheticProfiles.linear("gpu-like", HW, 0.8, 3, 0.05, 64));
        return store;
    }

    static Pool cpu() {
        return new Pool("cpu", Tier.CLOUD, "r", "cpu", HW, 1.0, 0.1, 400, 5, 8192);
    }

    static Pool accelerator() {
        return new Pool("acc", Tier.CLOUD, "r", "acc", HW, 0.25, 0.6, 100, 5, 16384);
    }

    static ModelDemand model(String name, double slo, double rate) {
        return new ModelDemand(name, Slo.of(slo), rate, List.of(), false, 200, 64);
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("one model, many replicas", new PlanRequest(List.of(cpu(), accelerator()),
                        List.of(model("gpu-like", 60, 4000)))),
                Arguments.of("tight SLO", new PlanRequest(List.of(cpu(), accelerator()), List.of(model("fast", 12, 2000)))),
                Arguments.of("three models", new PlanRequest(List.of(cpu(), accelerator()), List.of(model("fast", 30, 800),
                        model("slow", 200, 60), model("gpu-like", 100, 1500)))));
    }

    static VerifiedPlanner.Settings quick() {
        return new VerifiedPlanner.Settings(1_500_000, List.of(VerifiedPlanner.Check.POISSON), 11, 2_000, 5, 30, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void theVerifiedPlanIsOneTheSimulatorAccepts(String name, PlanRequest request) {
        VerifiedPlanner.Outcome o = VerifiedPlanner.plan(request, profiles(), PlannerSettings.defaults(), quick());

        assertTrue(o.verified(), o.note());
        VerifiedPlanner.Candidate chosen = o.chosen().orElseThrow();
        assertTrue(chosen.meets());
        assertEquals(chosen.costPerHour(), o.plan().costPerHour(), 1e-9);
        // The simulator, run again on the returned plan with the check's own settings, accepts it.
        VerifiedPlanner.Verdict v = chosen.verdicts().get(0);
        PlanSimulation sim = new PlanSimulation(request, profiles());
        PolicySetup setup = new PlannedDeployment(o.plan(), sim).setup();
        SimResult again = Simulator.run("again", setup.toConfig(sim.workload(v.seconds(), 1, java.util.Map.of())),
                setup.policy(), quick().seed());
        for (ModelResult m : again.models()) {
            assertTrue(m.attainment() >= m.targetAttainment(), m.model() + " " + m.attainment());
        }
        // Never dearer than a baseline configuration or Stratus candidate that passed.
        for (VerifiedPlanner.Candidate c : o.checked()) {
            if (c.meets()) {
                assertTrue(chosen.costPerHour() <= c.costPerHour() + 1e-9, c.source() + " " + c.costPerHour());
            }
        }
        // Never dearer than the analytic Stratus plan (a candidate itself, or beaten by a cheaper one).
        Plan analytic = Planner.plan(request, profiles());
        assertTrue(chosen.costPerHour() <= analytic.costPerHour() + 1e-9);
        assertTrue(o.plan().explanation().stream().anyMatch(l -> l.startsWith("Verified by simulation: chosen")));
    }

    @Test
    void trimmingRemovesReplicasTheSimulationShowsAreNotNeeded() {
        PlanRequest request = new PlanRequest(List.of(cpu()), List.of(model("slow", 25, 3000)));
        VerifiedPlanner.Settings noTrim = new VerifiedPlanner.Settings(1_500_000,
                List.of(VerifiedPlanner.Check.POISSON), 11, 2_000, 5, 30, false);
        VerifiedPlanner.Outcome untrimmed = VerifiedPlanner.plan(request, profiles(), PlannerSettings.defaults(), noTrim);
        VerifiedPlanner.Outcome trimmed = VerifiedPlanner.plan(request, profiles(), PlannerSettings.defaults(), quick());

        assertTrue(trimmed.plan().costPerHour() < untrimmed.plan().costPerHour(),
                trimmed.plan().costPerHour() + " vs " + untrimmed.plan().costPerHour());
        assertTrue(trimmed.chosen().orElseThrow().source().endsWith(", trimmed"));
        assertTrue(trimmed.plan().explanation().stream().anyMatch(l -> l.startsWith("Trimmed by simulation")));
    }

    @Test
    void aZeroBudgetReturnsTheAnalyticPlanAndSaysSo() {
        PlanRequest request = new PlanRequest(List.of(cpu()), List.of(model("fast", 30, 800)));
        VerifiedPlanner.Outcome o = VerifiedPlanner.plan(request, profiles(), PlannerSettings.defaults(),
                quick().withBudget(0));

        assertFalse(o.verified());
        assertTrue(o.note().startsWith("not verified"), o.note());
        assertEquals(Planner.plan(request, profiles()).costPerHour(), o.plan().costPerHour(), 1e-9);
        assertTrue(o.plan().explanation().contains(o.note()));
        assertEquals(0, o.requests());
    }

    @Test
    void theSameRequestGivesTheSamePlan() {
        PlanRequest request = new PlanRequest(List.of(cpu(), accelerator()), List.of(model("fast", 30, 800),
                model("slow", 200, 60)));
        Plan a = VerifiedPlanner.plan(request, profiles(), PlannerSettings.defaults(), quick()).plan();
        Plan b = VerifiedPlanner.plan(request, profiles(), PlannerSettings.defaults(), quick()).plan();
        assertEquals(a, b);
    }
}
