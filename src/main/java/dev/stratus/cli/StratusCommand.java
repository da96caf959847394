package dev.stratus.cli;

import dev.stratus.host.Versions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stratus}: the top-level command and its subcommands. */
@Command(name = "stratus", mixinStandardHelpOptions = true, versionProvider = StratusCommand.Version.class,
        description = "Serve ONNX models under latency SLOs at the lowest cost.",
        subcommands = {ModelsCommand.class, WorkerCommand.class, ProfileCommand.class, PlanCommand.class,
                SimulateCommand.class, ServeCommand.class, DemoCommand.class, BenchCommand.class,
                RulesCommand.class, OperatorCommand.class, GatewayCommand.class, K8sCommand.class, TokenCommand.class,
                LinkCommand.class},
        footer = {"", "Launcher commands (handled by ./stratus itself):",
                "  test    Run the whole test suite (./mvnw verify).",
                "  build   Rebuild the application (done automatically when sources changed).",
                "  image build [--tag T]  Build the container image stratus:<version> with no registry.",
                "", "Run 'stratus COMMAND --help' for a command's options."})
public class StratusCommand implements Callable<Integer> {
    /** Returned by commands that started a server which keeps the process alive. */
    public static final int KEEP_RUNNING = Integer.MIN_VALUE;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    /** Runs the command line; usage errors print the usage and give exit status 2. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new StratusCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserException || e instanceof dev.stratus.catalog.CatalogException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    static class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"stratus " + Versions.stratus()};
        }
    }
}
