package dev.stratus.cli;

import dev.stratus.app.WorkerApplication;
import io.quarkus.runtime.Quarkus;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stratus gateway}: an in-cluster gateway routing to the serving worker pods it discovers; with {@code --site},
 * an edge site's gateway (the operator runs one per site) that spills to the cloud gateway.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Run a gateway in the cluster: routes to the serving worker pods of one namespace.",
                "With --site: an edge site's gateway, serving with that site's pods and forwarding what they cannot",
                "serve in time to the cloud gateway (--cloud-url) with the round trip charged."})
public class GatewayCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    GrpcPortOption grpc = new GrpcPortOption();

    @Option(names = "--namespace", paramLabel = "NS", description = "Namespace (default: the context's).")
    String namespace;

    @Option(names = "--site", paramLabel = "SITE", description = "The edge site whose worker pods this gateway "
            + "routes (pools with tier: edge and this site); default: the cloud gateway, routing every other pool.")
    String site;

    @Option(names = "--cloud-url", paramLabel = "URL", description = "With --site: the cloud gateway, "
            + "http://HOST[:PORT] (default: ${DEFAULT-VALUE}, the chart's gateway Service of a release named stratus).",
            defaultValue = "http://stratus-gateway")
    String cloudUrl;

    @Option(names = "--cloud-rtt-ms", paramLabel = "MS", defaultValue = "0", description = "With --site: the "
            + "planned round trip to the cloud, charged on a forward unless the measured one is larger "
            + "(default: ${DEFAULT-VALUE}).")
    double cloudRttMs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new UserException("--port must be 0..65535, got " + port);
        }
        if (site == null) {
            for (String o : List.of("--cloud-url", "--cloud-rtt-ms")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new UserException(o + " applies to an edge site's gateway: give --site too");
                }
            }
        } else {
            if (site.isBlank() || "cloud".equals(site)) {
                throw new UserException("--site must name an edge site ('cloud' names the cloud gateway), got '"
                        + site + "'");
            }
            URI cloud = cloud(cloudUrl);
            if (!(cloudRttMs >= 0) || Double.isInfinite(cloudRttMs)) {
                throw new UserException("--cloud-rtt-ms must be a finite number >= 0, got " + cloudRttMs);
            }
            System.setProperty("stratus.kubernetes.site", site);
            System.setProperty("stratus.kubernetes.cloud-url", cloud.toString());
            System.setProperty("stratus.kubernetes.cloud-rtt-ms", Double.toString(cloudRttMs));
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

    /** The cloud gateway's URL: plain HTTP to a host, with or without a port (a site forwards over HTTP/1.1). */
    static URI cloud(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new UserException("--cloud-url must be http://HOST[:PORT], got '" + url + "': " + e.getMessage());
        }
        if (!"http".equals(u.getScheme()) || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty()
                && !u.getPath().equals("/")) || u.getQuery() != null) {
            throw new UserException("--cloud-url must be http://HOST[:PORT], got '" + url + "'");
        }
        return u;
    }
}
