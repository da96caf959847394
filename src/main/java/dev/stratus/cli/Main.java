package dev.stratus.cli;

import dev.stratus.backend.local.OwnerWatch;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the one Stratus binary. The command line is parsed before Quarkus starts, so commands that
 * need no server (model fetch, benchmarks) run without booting one; server roles boot Quarkus.
 */
@QuarkusMain
public class Main {
    public static void main(String... args) {
        // Started by another Stratus process (a worker, or a control service under the demo): end with it.
        OwnerWatch.startFromEnvironment(System.getenv());
        int code = StratusCommand.execute(args);
        if (code != StratusCommand.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
