package dev.stratus.cli;

import dev.stratus.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stratus demo}: the whole system on this machine, under a bursty load, with an SLO report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Fetch the sample models, start the control service (gateway, workers, autoscaler with a",
                "warm pool) on the OCR pipeline and vad, send a page image through the pipeline and audio frames",
                "to vad for three minutes with a step that promotes a standby, print the SLO report, write an",
                "HTML report, and stop everything."})
public class DemoCommand implements Callable<Integer> {
    @Option(names = "--config", defaultValue = "examples/demo/resources", description = "Resources to serve (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--scenario", defaultValue = "examples/demo/load.yaml",
            description = "Load scenario (default: ${DEFAULT-VALUE}).")
    Path scenario;

    @Option(names = "--loadgen-jar", defaultValue = "loadgen/target/stratus-loadgen.jar",
            description = "The load generator (built by ./stratus demo; default: ${DEFAULT-VALUE}).")
    Path loadgenJar;

    @Option(names = "--out", defaultValue = "demo-out", description = "Report directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--port", defaultValue = "8080", description = "Gateway port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--duration-s", description = "Shorten or lengthen the scenario, in seconds.")
    Integer durationSeconds;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535 || (durationSeconds != null && durationSeconds < 1)) {
            throw new UserException("--port must be 0..65535 and --duration-s >= 1");
        }
        try {
            return new Demo(new Demo.Options(config, scenario, loadgenJar, out, port, durationSeconds), System.out)
                    .run();
        } catch (IllegalStateException e) {
            throw new UserException(e.getMessage());
        }
    }
}
