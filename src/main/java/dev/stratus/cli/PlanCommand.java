package dev.stratus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.planning.Planner;
import dev.stratus.core.planning.PlannerSettings;
import dev.stratus.core.planning.PlanningException;
import dev.stratus.core.planning.StratusPlanner;
import dev.stratus.core.simulation.planned.VerifiedPlanner;
import dev.stratus.planning.io.PlanRequestException;
import dev.stratus.planning.io.PlanRequestReader;
import dev.stratus.planning.io.PlanText;
import dev.stratus.profiles.FileProfileStore;
import dev.stratus.profiles.ProfileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stratus plan}: plan a request with a policy and print the plan and why. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Choose per model the pool, batch size, max queue delay, replicas and dispatch (possibly several "
                + "tuples), co-location groups, the edge/cloud split and pipeline stage budgets, at minimum cost per hour.",
                "Infeasible requests exit with status 1 and name the model and the tightest constraint. "
                        + "See docs/planning.md."})
public class PlanCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--request", required = true, paramLabel = "FILE", description = "Plan request (YAML or JSON).")
    Path request;

    @Option(names = "--solver", defaultValue = "heuristic", paramLabel = "heuristic|exact",
            description = "heuristic (default) or exact (exhaustive, small instances, policy stratus only).")
    String solver;

    @Option(names = "--policy", defaultValue = "stratus", paramLabel = "NAME",
            description = "stratus (default), static-peak, nexus, triton-hpa, clipper-aimd or kpa.")
    String policy;

    @Option(names = "--profiles", defaultValue = "profiles", paramLabel = "DIR",
            description = "Profile directory, profiles/<model>/<hardware-id>.yaml (default: ${DEFAULT-VALUE}).")
    Path profiles;

    @Option(names = "--no-colocation", description = "Do not let models share replicas (Stratus policy).")
    boolean noColocation;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Option(names = "--no-verify", description = "Return the analytic plan without checking candidates in the "
            + "simulator (policy stratus, heuristic solver; see docs/planning.md).")
    boolean noVerify;

    @Option(names = "--verify", split = ",", paramLabel = "poisson|bursty", defaultValue = "poisson",
            description = "What candidates must meet in the simulator: poisson (the planned rates), bursty (the same "
                    + "mean in bursts), or both (default: ${DEFAULT-VALUE}).")
    List<String> verifyChecks;

    @Option(names = "--verify-budget", paramLabel = "REQUESTS", defaultValue = "4000000",
            description = "Simulated requests the checks may use in all (default: ${DEFAULT-VALUE}).")
    long verifyBudget;

    @Override
    public Integer call() throws Exception {
        Planner.Solver chosenSolver;
        try {
            chosenSolver = Planner.Solver.parse(solver);
            Planner.policy(policy);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean verify = !noVerify && chosenSolver == Planner.Solver.HEURISTIC
                && policy.trim().equalsIgnoreCase(StratusPlanner.NAME);
        VerifiedPlanner.Settings checks = verify ? verification() : null;
        PlanRequest parsed;
        try {
            parsed = PlanRequestReader.read(request);
        } catch (PlanRequestException e) {
            throw new UserException(request + ": " + e.getMessage());
        }
        PlannerSettings settings = PlannerSettings.defaults().withColocation(!noColocation);
        Plan plan;
        try {
            FileProfileStore store = new FileProfileStore(profiles);
            plan = verify ? VerifiedPlanner.plan(parsed, store, settings, checks).plan()
                    : Planner.plan(parsed, store, policy, chosenSolver, settings);
        } catch (PlanningException | ProfileException e) {
            throw new UserException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(plan));
        } else {
            System.out.print(PlanText.render(plan, parsed));
        }
        return 0;
    }

    private VerifiedPlanner.Settings verification() {
        if (verifyBudget < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--verify-budget must be >= 0");
        }
        List<VerifiedPlanner.Check> kinds = new ArrayList<>();
        for (String k : verifyChecks) {
            switch (k.trim().toLowerCase(Locale.ROOT)) {
                case "poisson" -> kinds.add(VerifiedPlanner.Check.POISSON);
                case "bursty" -> kinds.add(VerifiedPlanner.Check.BURSTY);
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--verify: expected poisson or bursty, got '" + k + "'");
            }
        }
        return VerifiedPlanner.Settings.defaults().withChecks(kinds).withBudget(verifyBudget);
    }
}
