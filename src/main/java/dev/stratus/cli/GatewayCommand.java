package dev.stratus.cli;

import dev.stratus.app.WorkerApplication;
import io.quarkus.runtime.Quarkus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stratus gateway}: an in-cluster gateway routing to the serving worker pods it discovers. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run a gateway in the cluster: routes to the serving worker pods of one namespace.")
public class GatewayCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    GrpcPortOption grpc = new GrpcPortOption();

    @Option(names = "--namespace", paramLabel = "NS", description = "Namespace (default: the context's).")
    String namespace;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new UserException("--port must be 0..65535, got " + port);
        }
        grpc.apply("stratus.control.grpc-port", port);
        System.setProperty("stratus.role", "gateway");
        System.setProperty("quarkus.http.port", Integer.toString(port));
        if (namespace != null) {
            System.setProperty("stratus.kubernetes.namespace", namespace);
        }
        Quarkus.run(WorkerApplication.class);
        return StratusCommand.KEEP_RUNNING;
    }
}
