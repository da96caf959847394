package dev.stratus.cli;

import dev.stratus.core.planning.PlanningException;
import dev.stratus.core.simulation.SimResult;
import dev.stratus.core.simulation.Simulator;
import dev.stratus.core.simulation.policy.PolicyConfigurator;
import dev.stratus.core.simulation.policy.PolicySetup;
import dev.stratus.profiles.FileProfileStore;
import dev.stratus.simulation.Scenario;
import dev.stratus.simulation.SimulationReport;
import dev.stratus.simulation.io.ScenarioException;
import dev.stratus.simulation.io.ScenarioReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stratus simulate}: discrete-event simulation of policies on a scenario. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulate serving a scenario's models under several policies and compare cost, SLO "
                + "attainment, goodput, latency, drops and scaling events. Same seed, same arrivals for every policy, "
                + "same result every run. Scenario format: docs/simulation.md."})
public class SimulateCommand implements Callable<Integer> {
    @Option(names = "--scenario", required = true, paramLabel = "FILE", description = "Scenario YAML file.")
    Path scenario;

    @Option(names = "--policies", split = ",", paramLabel = "NAME",
            description = "Policies to run, in order (default: all the scenario defines). With a 'plan' request in the "
                    + "scenario: stratus, nexus, static-peak, triton-hpa, clipper-aimd and kpa from the planner; "
                    + "otherwise static deployments come from the scenario's 'deployments' and triton-hpa, kpa and "
                    + "clipper-aimd are built in.")
    List<String> policies;

    @Option(names = "--seed", description = "Random seed (default: the scenario's, else 1).")
    Long seed;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Option(names = "--profiles", paramLabel = "DIR", description = "Profile store for 'latency.profile' references "
            + "and plan requests (default: ./profiles).")
    Path profiles;

    @Override
    public Integer call() {
        Scenario s;
        try {
            Path dir = profiles != null ? profiles : Path.of("profiles");
            s = new ScenarioReader(Files.isDirectory(dir) ? Optional.of(new FileProfileStore(dir)) : Optional.empty())
                    .read(scenario);
        } catch (ScenarioException e) {
            throw new UserException(e.getMessage());
        }
        List<String> names = policies == null ? s.policyNames() : policies.stream().map(String::trim).toList();
        List<PolicyConfigurator> chosen = new ArrayList<>();
        for (String name : names) {
            chosen.add(s.policy(name).orElseThrow(() -> new UserException("unknown policy '" + name
                    + "' for this scenario; available: " + String.join(", ", s.policyNames()))));
        }
        long runSeed = seed != null ? seed : s.seed();
        PrintStream log = System.err;
        List<SimResult> results = new ArrayList<>();
        for (PolicyConfigurator c : chosen) {
            PolicySetup setup;
            try {
                setup = c.configure(s.workload());
            } catch (IllegalArgumentException | PlanningException e) {
                throw new UserException("policy " + c.name() + ": " + e.getMessage());
            }
            long start = System.nanoTime();
            Progress progress = new Progress(c.name(), log);
            SimResult r = Simulator.run(c.name(), setup.toConfig(s.workload()), setup.policy(), runSeed, progress);
            double wall = (System.nanoTime() - start) / 1e9;
            log.printf(Locale.ROOT, "%s: %,d requests simulated in %.2f s (%.1f M requests/s)%n", c.name(), r.requests(),
                    wall, r.requests() / wall / 1e6);
            results.add(r);
        }
        System.out.println(json ? SimulationReport.json(s, runSeed, results) : SimulationReport.table(s, runSeed, results));
        return 0;
    }

    /** Prints a line about every 10 % of simulated time, only for runs that take a while. */
    private static final class Progress implements Simulator.ProgressListener {
        private final String policy;
        private final PrintStream log;
        private final long started = System.nanoTime();
        private int lastDecile;

        Progress(String policy, PrintStream log) {
            this.policy = policy;
            this.log = log;
        }

        @Override
        public void progress(double simulatedSeconds, double durationSeconds, long requests) {
            int decile = (int) (10 * simulatedSeconds / durationSeconds);
            if (decile > lastDecile && decile < 10 && System.nanoTime() - started > 2_000_000_000L) {
                log.printf(Locale.ROOT, "%s: %d%% (%,d requests)%n", policy, decile * 10, requests);
            }
            lastDecile = Math.max(lastDecile, decile);
        }
    }
}
