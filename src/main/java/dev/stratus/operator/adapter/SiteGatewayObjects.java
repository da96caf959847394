package dev.stratus.operator.adapter;

import dev.stratus.operator.Labels;
import dev.stratus.operator.SiteGatewaySettings;
import dev.stratus.operator.WorkloadSettings;
import dev.stratus.resource.AcceleratorPoolSpec;
import dev.stratus.resource.PoolTier;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The objects of the edge sites' gateways (pure functions of the pools and the settings): for every site named by a
 * pool with {@code tier: edge}, one Deployment running {@code stratus gateway --site S --cloud-url URL} on the site's
 * nodes (the node selector and tolerations of the site's first pool by name), and a Service in front of it. The pods
 * look like the release's main gateway (image, resources, tokens, probes, restricted security) but are not selected
 * by its Service: their {@code app.kubernetes.io/name} is {@value #NAME}.
 */
public final class SiteGatewayObjects {
    public static final String NAME = "stratus-site-gateway";
    public static final String COMPONENT = "gateway";

    private SiteGatewayObjects() {
    }

    /**
     * One site's gateway as desired.
     *
     * @param pools      the site's pools, by name (each owns the Deployment: it goes when the last of them does)
     * @param placement  the spec of the first of them, whose node selector and tolerations the pods get
     * @param cloudRttMs the planned round trip to the cloud, charged on every forward until a measured one is larger
     */
    public record SiteGateway(String site, List<String> pools, AcceleratorPoolSpec placement, double cloudRttMs) {
        public SiteGateway {
            pools = List.copyOf(pools);
        }

        public String name() {
            return SiteGatewayObjects.name(site);
        }
    }

    /** The edge site whose gateway serves a pool's replicas: its site when it is an edge pool with one. */
    public static Optional<String> siteOf(AcceleratorPoolSpec p) {
        return p != null && p.tier() == PoolTier.EDGE && p.site() != null && !p.site().isBlank()
                ? Optional.of(p.site()) : Optional.empty();
    }

    /** The sites' gateways the pools call for, by site name; pools by name (the first one places the gateway). */
    public static List<SiteGateway> desired(Map<String, AcceleratorPoolSpec> pools, double cloudRttMs) {
        Map<String, List<String>> bySite = new TreeMap<>();
        Map<String, AcceleratorPoolSpec> first = new LinkedHashMap<>();
        new TreeMap<>(pools).forEach((name, spec) -> siteOf(spec).ifPresent(site -> {
            bySite.computeIfAbsent(site, s -> new ArrayList<>()).add(name);
            first.putIfAbsent(site, spec);
        }));
        List<SiteGateway> out = new ArrayList<>();
        bySite.forEach((site, names) -> out.add(new SiteGateway(site, names, first.get(site), cloudRttMs)));
        return out;
    }

    /** The Deployment's and the Service's name: DNS-safe, unique per site. */
    public static String name(String site) {
        return Labels.dnsName("stratus-site-", site, 63);
    }

    /** The labels of a site's gateway pods, and the selector of its Deployment and Service (fixed per site). */
    public static Map<String, String> selector(String site) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.NAME, NAME);
        labels.put(Labels.COMPONENT, COMPONENT);
        labels.put(Labels.MANAGED_BY, Labels.MANAGER);
        labels.put(Labels.SITE, Labels.labelValue(site));
        return labels;
    }

    /** The site's gateway Deployment; its spec hash (an annotation) tells the operator when to replace it. */
    public static Deployment deployment(SiteGateway g, SiteGatewaySettings gs, WorkloadSettings w,
            List<OwnerReference> owners) {
        Map<String, String> labels = selector(g.site());
        List<String> args = List.of("gateway", "--port", Integer.toString(SiteGatewaySettings.GATEWAY_PORT),
                "--site", g.site(), "--cloud-url", gs.cloudUrl(), "--cloud-rtt-ms",
                String.format(Locale.ROOT, "%.3f", g.cloudRttMs()));
        Container gateway = new ContainerBuilder().withName("gateway").withImage(w.image())
                .withImagePullPolicy(w.imagePullPolicy()).withArgs(args).withEnv(env(gs))
                .addNewPort().withName("http").withContainerPort(SiteGatewaySettings.GATEWAY_PORT).endPort()
                .withNewLivenessProbe().withNewHttpGet().withPath("/v2/health/live").withNewPort("http").endHttpGet()
                .withPeriodSeconds(10).endLivenessProbe()
                .withNewReadinessProbe().withNewHttpGet().withPath("/q/health/ready").withNewPort("http").endHttpGet()
                .withPeriodSeconds(5).endReadinessProbe()
                .withResources(gs.resources()).withSecurityContext(WorkloadObjects.restricted()).build();
        List<Toleration> tolerations = WorkerPods.tolerations(g.placement());
        Deployment d = new DeploymentBuilder().withNewMetadata().withName(g.name()).withNamespace(w.namespace())
                .withLabels(labels).addToAnnotations(Labels.SITE, g.site())
                .addToAnnotations("stratus.dev/pools", String.join(",", g.pools()))
                .withOwnerReferences(owners).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
                // One pod per site: a new one comes up before the old one goes, so that the site keeps a gateway.
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withNewMaxUnavailable(0)
                .withNewMaxSurge(1).endRollingUpdate().endStrategy()
                .withNewTemplate().withNewMetadata().withLabels(labels).addToAnnotations(Labels.SITE, g.site())
                .endMetadata()
                .withNewSpec().withServiceAccountName(gs.serviceAccount()).withContainers(gateway)
                .withNodeSelector(g.placement().nodeSelector() == null ? Map.of() : g.placement().nodeSelector())
                .withTolerations(tolerations).withSecurityContext(WorkloadObjects.podSecurity())
                .endSpec().endTemplate().endSpec().build();
        d.getMetadata().getAnnotations().put(Labels.SPEC_HASH, specHash(d));
        return d;
    }

    /** What the Deployment is made of (spec, labels, owners): another value means it is replaced. */
    static String specHash(Deployment d) {
        List<String> owners = d.getMetadata().getOwnerReferences().stream().map(o -> o.getKind() + "/" + o.getName()
                + "/" + o.getUid()).toList();
        return Labels.hash(Serialization.asJson(d.getSpec()) + "|" + d.getMetadata().getLabels() + "|"
                + d.getMetadata().getAnnotations().get("stratus.dev/pools") + "|" + owners).substring(0, 12);
    }

    /** The tokens from the release's Secret, as the chart gives the main gateway (docs/security.md). */
    private static List<EnvVar> env(SiteGatewaySettings gs) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("STRATUS_KUBERNETES_NAMESPACE").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().build());
        gs.tokensSecret().ifPresent(secret -> {
            env.add(new EnvVarBuilder().withName("STRATUS_SECURITY_ADMIN_TOKEN").withNewValueFrom()
                    .withNewSecretKeyRef().withName(secret).withKey("admin-token").endSecretKeyRef().endValueFrom()
                    .build());
            env.add(new EnvVarBuilder().withName("STRATUS_SECURITY_VIEWER_TOKEN").withNewValueFrom()
                    .withNewSecretKeyRef().withName(secret).withKey("viewer-token").withOptional(true)
                    .endSecretKeyRef().endValueFrom().build());
        });
        return env;
    }

    /**
     * The site's Service: where the site's clients send their requests (the main gateway's Service type and port).
     * Owned by the Deployment, so that it goes with it; its spec hash tells when to make it again.
     */
    public static Service service(SiteGateway g, SiteGatewaySettings gs, WorkloadSettings w,
            List<OwnerReference> owners) {
        Service s = new ServiceBuilder().withNewMetadata().withName(g.name()).withNamespace(w.namespace())
                .withLabels(selector(g.site())).addToAnnotations(Labels.SITE, g.site()).withOwnerReferences(owners)
                .endMetadata()
                .withNewSpec().withType(gs.serviceType()).withSelector(selector(g.site()))
                .addNewPort().withName("http").withPort(gs.servicePort()).withNewTargetPort("http").endPort()
                .endSpec().build();
        // Its owner too: a Deployment made again (deleted by hand) gets a Service of its own, as GC would leave it.
        s.getMetadata().getAnnotations().put(Labels.SPEC_HASH, Labels.hash(Serialization.asJson(s.getSpec()) + "|"
                + owners.stream().map(OwnerReference::getUid).toList()).substring(0, 12));
        return s;
    }
}
