package dev.stratus.cli;

import dev.stratus.app.WorkerApplication;
import io.quarkus.runtime.Quarkus;
import dev.stratus.dataplane.gateway.SiteGateways;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stratus serve}: the control service on the local backend: the gateway (Open Inference Protocol for
 * every model), worker processes planned for the models' SLOs and load, the autoscaler with its warm pool, and
 * the admin API under {@code /admin/v1} (OpenAPI at {@code /q/openapi}, health at {@code /q/health}), which
 * needs a bearer token (docs/security.md). It binds to loopback unless told otherwise.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the control service: gateway, planned worker fleet with autoscaling and a warm pool,",
                "admin API under /admin/v1 (OpenAPI at /q/openapi)."})
public class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    GrpcPortOption grpc = new GrpcPortOption();

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = {"Address to bind (default: ${DEFAULT-VALUE}, this machine only). Any other address needs",
                    "access tokens (--tokens, or STRATUS_SECURITY_ADMIN_TOKEN): see docs/security.md."})
    String host;

    @Option(names = "--tokens", paramLabel = "FILE",
            description = {"Access tokens, one 'ROLE TOKEN' per line (admin, viewer, infer:MODEL). Default:",
                    "~/.config/stratus/tokens, created with a new admin token on first start on loopback."})
    Path tokens;

    @Option(names = "--profiles", defaultValue = "profiles", paramLabel = "DIR",
            description = "Profile store directory (default: ${DEFAULT-VALUE}).")
    Path profiles;

    @Option(names = "--config", defaultValue = "examples/local", paramLabel = "DIR",
            description = "Directory of AcceleratorPool / InferenceModel / InferencePipeline documents "
                    + "(default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--period-ms", defaultValue = "2000",
            description = "Control loop period in ms (default: ${DEFAULT-VALUE}).")
    long periodMs;

    @Option(names = "--policy", defaultValue = "stratus",
            description = "Planning policy: stratus, static-peak, nexus, triton-hpa, clipper-aimd, kpa "
                    + "(default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--logs", paramLabel = "DIR", description = "Where worker logs go (default: a temporary directory).")
    Path logs;

    @Option(names = "--site-address", paramLabel = "SITE=HOST:PORT",
            description = "Where an edge site's gateway listens (repeatable; default: a free port on 127.0.0.1, "
                    + "listed by GET /admin/v1/sites).")
    Map<String, String> siteAddress = new LinkedHashMap<>();

    @Option(names = "--site-cloud", paramLabel = "SITE=URL",
            description = "The cloud gateway's URL as an edge site reaches it, e.g. through a delaying proxy "
                    + "(repeatable; default: this service's own gateway).")
    Map<String, String> siteCloud = new LinkedHashMap<>();
    @picocli.CommandLine.Mixin
    RepositoryOptions repository = new RepositoryOptions();

    @Option(names = "--state", paramLabel = "DIR",
            description = "Where admin-API edits and the running workers are recorded, so that a restart keeps the "
                    + "edits and adopts the workers (default: .stratus-state/ in the --config directory).")
    Path state;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new UserException("--port must be 0..65535, got " + port);
        }
        grpc.apply("stratus.control.grpc-port", port);
        System.setProperty("stratus.role", "controller");
        System.setProperty("quarkus.http.port", Integer.toString(port));
        System.setProperty("quarkus.http.host", host);
        System.setProperty("stratus.profiles.dir", profiles.toAbsolutePath().toString());
        if (periodMs < 100) {
            throw new UserException("--period-ms must be >= 100, got " + periodMs);
        }
        System.setProperty("stratus.control.config", config.toAbsolutePath().toString());
        System.setProperty("stratus.control.period-ms", Long.toString(periodMs));
        System.setProperty("stratus.control.policy", policy);
        if (logs != null) {
            System.setProperty("stratus.control.logs", logs.toAbsolutePath().toString());
        }
        siteAddress.forEach((site, address) -> {
            try {
                SiteGateways.Address.parse(address);
            } catch (IllegalArgumentException e) {
                throw new UserException("--site-address " + site + ": " + e.getMessage());
            }
            System.setProperty("stratus.control.site-address.\"" + site + "\"", address);
        });
        siteCloud.forEach((site, url) -> {
            if (!url.startsWith("http://")) {
                throw new UserException("--site-cloud " + site + ": expected an http:// URL, got '" + url + "'");
            }
            System.setProperty("stratus.control.site-cloud.\"" + site + "\"", url);
        });
        repository.apply("stratus.control");
        if (tokens != null) {
            System.setProperty("stratus.security.tokens-file", tokens.toAbsolutePath().toString());
        }
        if (state != null) {
            System.setProperty("stratus.control.state", state.toAbsolutePath().toString());
        }
        Quarkus.run(WorkerApplication.class);
        return StratusCommand.KEEP_RUNNING;
    }
}
