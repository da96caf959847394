package dev.stratus.operator.launch;

import dev.stratus.control.ControlService;
import dev.stratus.core.port.Clock;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.core.port.RoutePublisher;
import dev.stratus.operator.RulePublishing;
import dev.stratus.operator.SiteGatewaySettings;
import dev.stratus.operator.WorkloadSettings;
import dev.stratus.operator.adapter.GatewayTrafficObserver;
import dev.stratus.operator.adapter.KubernetesRoutes;
import dev.stratus.operator.reconcile.OperatorFactory;
import dev.stratus.operator.reconcile.StratusOperator;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the Kubernetes-facing parts of the operator and gateway roles, so that the role wiring ({@code app})
 * never touches a Kubernetes type: the client comes from the current kube context, or in a pod its service
 * account; the namespace from the configuration, else the client's.
 */
public final class OperatorLauncher {
    private OperatorLauncher() {
    }

    /**
     * What the operator role configures.
     *
     * @param gatewayToken the admin token the gateways accept (the release's Secret), sent when reading their traffic
     */
    public record OperatorOptions(Optional<String> namespace, Optional<String> image, String imagePullPolicy,
            String workerServiceAccount, String profilerServiceAccount, boolean leaderElection, int gatewayPort,
            ControlService.Settings loop, RulePublishing rules, Optional<String> gatewayToken,
            SiteGatewayOptions siteGateways) {
    }

    /**
     * How the edge sites' gateways are shaped: as the release's main gateway (plain values, so that the role wiring
     * touches no Kubernetes type).
     *
     * @param cloudUrl      the cloud gateway's Service URL; absent: {@code http://stratus-gateway.NS.svc:80}
     * @param resourcesJson the gateway container's resources as JSON ({@code {"requests": {...}, "limits": {...}}})
     */
    public record SiteGatewayOptions(String serviceAccount, Optional<String> cloudUrl, Optional<String> tokensSecret,
            Optional<String> resourcesJson, String serviceType, int servicePort) {
    }

    /** The settings of the options: defaults (a release named stratus) where the chart gave none. */
    public static SiteGatewaySettings siteGateways(SiteGatewayOptions o, String namespace) {
        SiteGatewaySettings d = SiteGatewaySettings.defaults(namespace);
        ResourceRequirements resources;
        try {
            resources = o.resourcesJson().filter(j -> !j.isBlank())
                    .map(j -> Serialization.unmarshal(j, ResourceRequirements.class)).orElse(d.resources());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the site gateways' resources (STRATUS_KUBERNETES_GATEWAY_RESOURCES) "
                    + "are not a Kubernetes resources object in JSON: " + e.getMessage(), e);
        }
        return new SiteGatewaySettings(o.serviceAccount(), o.cloudUrl().orElse(d.cloudUrl()),
                o.tokensSecret().filter(s -> !s.isBlank()), resources, o.serviceType(), o.servicePort());
    }

    /** Builds and starts the operator; closing the result stops it (the pods stay, for the next leader). */
    public static AutoCloseable operator(OperatorOptions o, ProfileStore shipped) {
        KubernetesClient client = new KubernetesClientBuilder().build();
        String namespace = namespace(o.namespace(), client);
        WorkloadSettings d = WorkloadSettings.defaults(namespace);
        WorkloadSettings settings = new WorkloadSettings(namespace, o.image().orElse(d.image()), o.imagePullPolicy(),
                o.workerServiceAccount(), o.profilerServiceAccount(), d.drainSeconds());
        StratusOperator runtime = new StratusOperator(client, settings, shipped,
                new GatewayTrafficObserver(client, namespace, o.gatewayPort(), o.gatewayToken()), Clock.SYSTEM, o.loop(),
                dev.stratus.catalog.ModelCatalog.bundled(), o.rules(), siteGateways(o.siteGateways(), namespace));
        Optional<String> identity = o.leaderElection()
                ? Optional.of(Optional.ofNullable(System.getenv("HOSTNAME")).orElse("stratus-operator"))
                : Optional.empty();
        Operator operator = OperatorFactory.create(client, runtime, namespace, true, identity);
        OperatorFactory.start(operator, runtime, identity.isPresent());
        return () -> {
            operator.stop();
            runtime.close();
            client.close();
        };
    }

    /** A gateway's feed of routes; closing it stops the watches. */
    public interface GatewayRoutes extends AutoCloseable {
        /** Whether the routing table is complete (both watches listed what exists): the gateway may be ready. */
        boolean synced();
    }

    /**
     * Feeds a gateway the routing table of its namespace's serving pods: at an edge site, that site's pods only, with
     * the planned round trip of a forward to the cloud. Returns at once: the watches keep trying while the API server
     * cannot be reached.
     */
    public static GatewayRoutes gatewayRoutes(Optional<String> namespace, Optional<String> site, double cloudRttMs,
            RoutePublisher gateway) {
        KubernetesClient client = new KubernetesClientBuilder().build();
        KubernetesRoutes routes = new KubernetesRoutes(client, namespace(namespace, client), site,
                site.map(s -> Map.of(s, cloudRttMs)).orElse(Map.of()), gateway);
        return new GatewayRoutes() {
            @Override
            public boolean synced() {
                return routes.synced();
            }

            @Override
            public void close() {
                routes.close();
                client.close();
            }
        };
    }

    private static String namespace(Optional<String> configured, KubernetesClient client) {
        return configured.orElse(client.getNamespace() == null ? "default" : client.getNamespace());
    }
}
