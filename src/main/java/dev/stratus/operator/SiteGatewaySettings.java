package dev.stratus.operator;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.Optional;

/**
 * How the operator shapes each edge site's gateway: as the release's main gateway (the chart passes its settings:
 * service account, resources, Service type and port, the tokens' Secret), plus where the cloud gateway answers
 * (its Service's URL), to which a site forwards what it cannot serve in time.
 *
 * @param tokensSecret the Secret with {@code admin-token} (and optionally {@code viewer-token}); a gateway listening
 *                     on its pod's address refuses to start without an admin token
 */
public record SiteGatewaySettings(String serviceAccount, String cloudUrl, Optional<String> tokensSecret,
        ResourceRequirements resources, String serviceType, int servicePort) {
    public static final int GATEWAY_PORT = 8080;

    public SiteGatewaySettings {
        resources = resources == null ? new ResourceRequirements() : resources;
    }

    /** What the chart sets for a release named {@code stratus} in {@code namespace}. */
    public static SiteGatewaySettings defaults(String namespace) {
        return new SiteGatewaySettings("stratus-gateway", "http://stratus-gateway." + namespace + ".svc:80",
                Optional.of("stratus-tokens"), new ResourceRequirementsBuilder()
                        .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi")))
                        .withLimits(Map.of("cpu", new Quantity("2"), "memory", new Quantity("1Gi"))).build(),
                "ClusterIP", 80);
    }
}
