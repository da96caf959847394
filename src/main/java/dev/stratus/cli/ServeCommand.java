package dev.stratus.cli;

import dev.stratus.app.WorkerApplication;
import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stratus serve}: the control service. Today it serves the admin API for profiles (start profiling jobs,
 * follow them, read stored profiles), OpenAPI at {@code /q/openapi} and health at {@code /q/health}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the control service: admin API under /admin/v1 (OpenAPI at /q/openapi).")
public class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--profiles", defaultValue = "profiles", paramLabel = "DIR",
            description = "Profile store directory (default: ${DEFAULT-VALUE}).")
    Path profiles;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new UserException("--port must be 0..65535, got " + port);
        }
        System.setProperty("stratus.role", "controller");
        System.setProperty("quarkus.http.port", Integer.toString(port));
        System.setProperty("quarkus.http.host", host);
        System.setProperty("stratus.profiles.dir", profiles.toAbsolutePath().toString());
        Quarkus.run(WorkerApplication.class);
        return StratusCommand.KEEP_RUNNING;
    }
}
