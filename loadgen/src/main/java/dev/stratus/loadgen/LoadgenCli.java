package dev.stratus.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar stratus-loadgen.jar --scenario FILE [--target URL] ...}: runs a scenario, prints progress to
 * stderr and the summary to stdout, writes loadgen-result.json and loadgen-plot.svg. Exit 0 when the run
 * completed (whatever the SLO attainment), 2 for bad arguments or scenario, 1 when the target is unreachable.
 */
@Command(name = "stratus-loadgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Open-loop load generator for Stratus (KServe v2 / Open Inference Protocol, binary tensors).")
public final class LoadgenCli implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_UNREACHABLE = 1;
    public static final int EXIT_USAGE = 2;

    @Option(names = "--scenario", required = true, paramLabel = "FILE", description = "scenario YAML file")
    Path scenarioFile;

    @Option(names = "--target", paramLabel = "URL", description = "base URL, e.g. http://127.0.0.1:8080 "
            + "(default: the scenario's target)")
    String target;

    @Option(names = "--duration-s", paramLabel = "S", description = "override the scenario's durationSeconds")
    Double durationSeconds;

    @Option(names = "--seed", paramLabel = "N", description = "override the scenario's seed")
    Long seed;

    @Option(names = "--input-dir", paramLabel = "DIR", description = "resolve relative input `file` paths against "
            + "DIR (default: the scenario's directory)")
    Path inputDir;

    @Option(names = "--rate-scale", paramLabel = "X", defaultValue = "1",
            description = "multiply every arrival rate by X (default ${DEFAULT-VALUE})")
    double rateScale;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "loadgen-out",
            description = "directory for loadgen-result.json and loadgen-plot.svg (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--drain-timeout-s", paramLabel = "S", defaultValue = "30",
            description = "after the last send, wait this long for responses in flight (default ${DEFAULT-VALUE})")
    double drainTimeoutSeconds;

    @Option(names = "--quiet", description = "no per-second progress on stderr")
    boolean quiet;

    private PrintStream stdout = System.out;
    private PrintStream stderr = System.err;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI with the given streams and returns the exit code (for tests and embedding). */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        LoadgenCli cli = new LoadgenCli();
        cli.stdout = stdout;
        cli.stderr = stderr;
        CommandLine cmd = new CommandLine(cli);
        cmd.setOut(new PrintWriter(stdout, true));
        cmd.setErr(new PrintWriter(stderr, true));
        return cmd.execute(args); // picocli answers bad options with its usage exit code, 2
    }

    @Override
    public Integer call() throws IOException {
        Scenario scenario;
        try {
            scenario = ScenarioLoader.load(scenarioFile, inputDir);
            scenario = applyOverrides(scenario);
        } catch (ScenarioException e) {
            stderr.println("stratus-loadgen: " + scenarioFile + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        if (!(drainTimeoutSeconds >= 0)) {
            return usage("--drain-timeout-s: must be >= 0");
        }
        if (scenario.target() == null) {
            return usage("--target: required (the scenario has no target)");
        }
        LoadGenerator generator;
        try {
            generator = new LoadGenerator(scenario, RunOptions.defaults()
                    .withDrainTimeout(Duration.ofMillis((long) (drainTimeoutSeconds * 1000))));
            new Schedule(scenario); // validates what depends on the duration (trace window) before probing
        } catch (ScenarioException e) {
            stderr.println("stratus-loadgen: " + scenarioFile + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        Optional<String> unreachable = TargetProbe.unreachable(scenario.target(), Duration.ofSeconds(5));
        if (unreachable.isPresent()) {
            stderr.println("stratus-loadgen: target " + scenario.target() + " unreachable: " + unreachable.get());
            return EXIT_UNREACHABLE;
        }
        Files.createDirectories(out);
        Thread hook = new Thread(generator::stop, "loadgen-stop");
        Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C stops sending; the result so far is still written
        LoadResult result;
        try {
            result = generator.run(p -> {
                if (!quiet) {
                    stderr.println(p.format());
                }
            });
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting; the hook has done its job.
            }
        }
        Path json = out.resolve("loadgen-result.json");
        Path svg = out.resolve("loadgen-plot.svg");
        ResultJson.write(result, json);
        SvgPlot.write(result, svg);
        stdout.print(SummaryTable.format(result));
        stdout.println("wrote " + json + " and " + svg);
        return EXIT_OK;
    }

    private Scenario applyOverrides(Scenario s) {
        if (target != null) {
            URI uri;
            try {
                uri = URI.create(target);
            } catch (IllegalArgumentException e) {
                throw new ScenarioException("--target", "not a URL: '" + target + "'");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ScenarioException("--target", "must be an http(s) base URL like http://127.0.0.1:8080");
            }
            s = s.withTarget(uri);
        }
        if (durationSeconds != null) {
            if (!(durationSeconds > 0)) {
                throw new ScenarioException("--duration-s", "must be > 0");
            }
            s = s.withDurationSeconds(durationSeconds);
        }
        if (seed != null) {
            s = s.withSeed(seed);
        }
        if (!(rateScale > 0) || Double.isInfinite(rateScale)) {
            throw new ScenarioException("--rate-scale", "must be > 0");
        }
        return rateScale == 1 ? s : s.withRateScale(rateScale);
    }

    private int usage(String message) {
        stderr.println("stratus-loadgen: " + message);
        return EXIT_USAGE;
    }
}
