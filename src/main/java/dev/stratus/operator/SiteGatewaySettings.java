package dev.stratus.operator;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the operator shapes each edge site's gateway: as the release's main gateway (the chart passes its settings:
 * service account, resources, Service type and port, the tokens' Secret), plus where the cloud gateway answers
 * (its Service's URL), to which a site forwards what it cannot serve in time.
 *
 * @param tokensSecret the Secret with {@code admin-token} (and optionally {@code viewer-token}); a gateway listening
 *                     on its pod's address refuses to start without an admin token
 * @param grpc         the main gateway's Open Inference Protocol gRPC ports (the chart's {@code gateway.grpc}); absent:
 *                     the sites' gateways speak HTTP only, as the main one then does
 */
public record SiteGatewaySettings(String serviceAccount, String cloudUrl, Optional<String> tokensSecret,
        ResourceRequirements resources, String serviceType, int servicePort, Optional<GrpcPorts> grpc) {
    public static final int GATEWAY_PORT = 8080;

    public SiteGatewaySettings {
        resources = resources == null ? new ResourceRequirements() : resources;
        grpc = grpc == null ? Optional.empty() : grpc;
    }

    /** An HTTP-only site gateway. */
    public SiteGatewaySettings(String serviceAccount, String cloudUrl, Optional<String> tokensSecret,
            ResourceRequirements resources, String serviceType, int servicePort) {
        this(serviceAccount, cloudUrl, tokensSecret, resources, serviceType, servicePort, Optional.empty());
    }

    /**
     * Where gRPC is served: the container's port and the Service's.
     *
     * @param port        the port the gateway container listens on ({@code --grpc-port})
     * @param servicePort the port the site's Service publishes it on
     */
    public record GrpcPorts(int port, int servicePort) {
        public GrpcPorts {
            for (int p : new int[] {port, servicePort}) {
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException("a gRPC port must be 1-65535, got " + p);
                }
            }
            if (port == GATEWAY_PORT) {
                throw new IllegalArgumentException("the gRPC port must differ from the HTTP port " + GATEWAY_PORT);
            }
        }

        /** The ports, when the chart enables gRPC (a container port given); a Service port defaults to it. */
        public static Optional<GrpcPorts> of(OptionalInt port, OptionalInt servicePort) {
            return port.isPresent()
                    ? Optional.of(new GrpcPorts(port.getAsInt(), servicePort.orElse(port.getAsInt())))
                    : Optional.empty();
        }
    }

    /** What the chart sets for a release named {@code stratus} in {@code namespace}. */
    public static SiteGatewaySettings defaults(String namespace) {
        return new SiteGatewaySettings("stratus-gateway", "http://stratus-gateway." + namespace + ".svc:80",
                Optional.of("stratus-tokens"), new ResourceRequirementsBuilder()
                        .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi")))
                        .withLimits(Map.of("cpu", new Quantity("2"), "memory", new Quantity("1Gi"))).build(),
                "ClusterIP", 80, Optional.of(new GrpcPorts(8081, 8081)));
    }
}
