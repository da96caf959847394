package dev.stratus.core.simulation.planned;

import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.planning.Planner;
import dev.stratus.core.planning.PlannerSettings;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.policy.PolicyConfigurator;
import dev.stratus.core.simulation.policy.PolicySetup;

/**
 * A planner policy as a simulator policy: runs the planner on the request ({@code stratus}, {@code nexus},
 * {@code static-peak}, or the starting configuration of {@code triton-hpa}, {@code kpa}, {@code clipper-aimd}) and
 * deploys the plan as {@link PlannedDeployment} describes. The plan is made once and reused.
 */
public final class PlannedPolicy implements PolicyConfigurator {
    private final String name;
    private final String policy;
    private final PlanSimulation sim;
    private final Planner.Solver solver;
    private final PlannerSettings settings;
    private Plan plan;

    public PlannedPolicy(String policy, PlanSimulation sim) {
        this(policy, policy, sim, Planner.Solver.HEURISTIC, PlannerSettings.defaults());
    }

    /** @param name the name the simulator reports (e.g. {@code stratus-exact}); {@code policy} the planner's */
    public PlannedPolicy(String name, String policy, PlanSimulation sim, Planner.Solver solver, PlannerSettings settings) {
        Planner.policy(policy); // unknown names fail here
        this.name = name;
        this.policy = policy;
        this.sim = sim;
        this.solver = solver;
        this.settings = settings;
    }

    @Override
    public String name() {
        return name;
    }

    /** The plan (made on first use; a {@code PlanningException} when the request cannot be met). */
    public synchronized Plan plan() {
        if (plan == null) {
            plan = Planner.plan(sim.request(), sim.profiles(), policy, solver, settings);
        }
        return plan;
    }

    public PlannedDeployment deployment() {
        return new PlannedDeployment(plan(), sim);
    }

    @Override
    public PolicySetup configure(SimWorkload workload) {
        return deployment().setup();
    }
}
