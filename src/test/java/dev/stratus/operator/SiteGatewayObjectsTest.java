package dev.stratus.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.operator.adapter.SiteGatewayObjects;
import dev.stratus.operator.adapter.SiteGatewayObjects.SiteGateway;
import dev.stratus.resource.AcceleratorPoolSpec;
import dev.stratus.resource.PoolTier;
import dev.stratus.resource.Toleration;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The edge sites' gateway objects as pure functions of the pools and the settings. */
class SiteGatewayObjectsTest {
    static final WorkloadSettings WORKLOAD = new WorkloadSettings("ml", "registry.example/stratus:1", "Always",
            "stratus-worker", "stratus-profiler", 30);
    static final SiteGatewaySettings GATEWAY = SiteGatewaySettings.defaults("ml");

    static AcceleratorPoolSpec pool(PoolTier tier, String site, Map<String, String> nodeSelector) {
        return new AcceleratorPoolSpec(tier, site, "cpu", "cpu-amd-epyc-2c", null, 0.05, 2, 3.0, 4096.0, null,
                nodeSelector, List.of(new Toleration("stratus.dev/edge", Toleration.Operator.Exists, null,
                        Toleration.Effect.NoSchedule, null)));
    }

    static final AcceleratorPoolSpec CLOUD = pool(PoolTier.CLOUD, "eu-west", Map.of("pool", "cloud"));
    static final AcceleratorPoolSpec EDGE_A = pool(PoolTier.EDGE, "factory-a", Map.of("zone", "a"));
    static final AcceleratorPoolSpec EDGE_A2 = pool(PoolTier.EDGE, "factory-a", Map.of("zone", "a2"));
    static final AcceleratorPoolSpec EDGE_B = pool(PoolTier.EDGE, "factory-b", null);
    static final AcceleratorPoolSpec EDGE_NO_SITE = pool(PoolTier.EDGE, "", Map.of("zone", "x"));

    static Map<String, AcceleratorPoolSpec> pools(Object... nameAndSpec) {
        Map<String, AcceleratorPoolSpec> out = new LinkedHashMap<>();
        for (int i = 0; i < nameAndSpec.length; i += 2) {
            out.put((String) nameAndSpec[i], (AcceleratorPoolSpec) nameAndSpec[i + 1]);
        }
        return out;
    }

    /** Pools, and the sites (site: its pools, the placing pool's zone) they call for. */
    static Stream<Arguments> sites() {
        return Stream.of(
                Arguments.of("cloud pools only: none", pools("cloud", CLOUD), Map.of()),
                Arguments.of("an edge pool without a site: the cloud gateway's", pools("e", EDGE_NO_SITE), Map.of()),
                Arguments.of("one edge pool at a site", pools("cloud", CLOUD, "fa", EDGE_A),
                        Map.of("factory-a", List.of("fa", "a"))),
                Arguments.of("two pools at one site: one gateway, placed by the first by name",
                        pools("fa2", EDGE_A2, "fa1", EDGE_A), Map.of("factory-a", List.of("fa1,fa2", "a"))),
                Arguments.of("two sites", pools("fb", EDGE_B, "fa", EDGE_A, "cloud", CLOUD),
                        Map.of("factory-a", List.of("fa", "a"), "factory-b", List.of("fb", "-"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sites")
    void thePoolsCallForOneGatewayPerEdgeSite(String why, Map<String, AcceleratorPoolSpec> pools,
            Map<String, List<String>> expected) {
        List<SiteGateway> desired = SiteGatewayObjects.desired(pools, 25);
        Map<String, List<String>> got = new LinkedHashMap<>();
        for (SiteGateway g : desired) {
            Map<String, String> ns = g.placement().nodeSelector();
            got.put(g.site(), List.of(String.join(",", g.pools()), ns == null ? "-" : ns.get("zone")));
            assertEquals(25, g.cloudRttMs());
        }
        assertEquals(expected, got, why);
    }

    static Deployment deployment(AcceleratorPoolSpec placement, String site, double rtt, List<OwnerReference> owners) {
        return SiteGatewayObjects.deployment(new SiteGateway(site, List.of("fa"), placement, rtt), GATEWAY, WORKLOAD,
                owners);
    }

    static final List<OwnerReference> OWNER = List.of(new OwnerReferenceBuilder().withApiVersion("stratus.dev/v1alpha1")
            .withKind("AcceleratorPool").withName("fa").withUid("uid-1").build());

    @Test
    void theDeploymentRunsTheSiteGatewayOnTheSitesNodesAsTheMainGateway() {
        Deployment d = deployment(EDGE_A, "factory-a", 25, OWNER);
        assertTrue(d.getMetadata().getName().startsWith("stratus-site-factory-a-"), d.getMetadata().getName());
        assertEquals("ml", d.getMetadata().getNamespace());
        assertEquals(OWNER, d.getMetadata().getOwnerReferences());
        var pod = d.getSpec().getTemplate().getSpec();
        assertEquals(Map.of("zone", "a"), pod.getNodeSelector());
        assertEquals("stratus.dev/edge", pod.getTolerations().get(0).getKey());
        assertEquals("NoSchedule", pod.getTolerations().get(0).getEffect());
        assertEquals("stratus-gateway", pod.getServiceAccountName());
        Container c = pod.getContainers().get(0);
        assertEquals("registry.example/stratus:1", c.getImage());
        assertEquals("Always", c.getImagePullPolicy());
        assertEquals(List.of("gateway", "--port", "8080", "--site", "factory-a", "--cloud-url",
                "http://stratus-gateway.ml.svc:80", "--cloud-rtt-ms", "25.000"), c.getArgs());
        assertEquals(GATEWAY.resources(), c.getResources());
        assertEquals("stratus-tokens", c.getEnv().stream().filter(e -> e.getName().equals(
                "STRATUS_SECURITY_ADMIN_TOKEN")).findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName());
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertTrue(c.getSecurityContext().getRunAsNonRoot());
        // Its own name label: the chart's main gateway Service and PodDisruptionBudget do not select it.
        assertEquals(SiteGatewayObjects.NAME, d.getSpec().getSelector().getMatchLabels().get(Labels.NAME));
        assertEquals("factory-a", d.getSpec().getSelector().getMatchLabels().get(Labels.SITE));
        assertEquals(d.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
    }

    /** What replaces the Deployment: anything it is made of, and nothing else. */
    static Stream<Arguments> hashes() {
        Deployment base = deployment(EDGE_A, "factory-a", 25, OWNER);
        return Stream.of(
                Arguments.of("the same inputs", base, false),
                Arguments.of("another node selector", deployment(EDGE_A2, "factory-a", 25, OWNER), true),
                Arguments.of("another planned round trip", deployment(EDGE_A, "factory-a", 40, OWNER), true),
                Arguments.of("another owner (the pool made again)", deployment(EDGE_A, "factory-a", 25,
                        List.of(new OwnerReferenceBuilder().withKind("AcceleratorPool").withName("fa")
                                .withUid("uid-2").build())), true),
                Arguments.of("another price (not in the gateway)", deployment(new AcceleratorPoolSpec(PoolTier.EDGE,
                        "factory-a", "cpu", "cpu-amd-epyc-2c", null, 9.0, 2, 3.0, 4096.0, null, Map.of("zone", "a"),
                        EDGE_A.tolerations()), "factory-a", 25, OWNER), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hashes")
    void theSpecHashChangesWithWhatTheDeploymentIsMadeOf(String why, Deployment other, boolean changes) {
        String base = deployment(EDGE_A, "factory-a", 25, OWNER).getMetadata().getAnnotations().get(Labels.SPEC_HASH);
        String hash = other.getMetadata().getAnnotations().get(Labels.SPEC_HASH);
        if (changes) {
            assertNotEquals(base, hash, why);
        } else {
            assertEquals(base, hash, why);
        }
    }

    static Stream<Arguments> siteNames() {
        return Stream.of(
                Arguments.of("factory-a", "factory-a"),
                Arguments.of("Store_17.north", "Store_17.north"),
                Arguments.of("store 17 / north", null),  // not a label value: a DNS-safe form with a hash
                Arguments.of("x".repeat(70), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("siteNames")
    void anySiteNameGetsAValidNameAndLabelAndKeepsItsExactNameInTheArgs(String site, String label) {
        Deployment d = deployment(EDGE_B, site, 0, List.of());
        String name = d.getMetadata().getName();
        assertTrue(name.length() <= 63 && name.matches("[a-z]([a-z0-9-]*[a-z0-9])?"), name);
        String value = d.getMetadata().getLabels().get(Labels.SITE);
        assertTrue(value.matches("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?"), value);
        if (label != null) {
            assertEquals(label, value);
        }
        assertEquals(site, d.getMetadata().getAnnotations().get(Labels.SITE));
        List<String> args = d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        assertEquals(site, args.get(args.indexOf("--site") + 1));
    }

    @Test
    void theServiceSelectsTheSitesGatewayPodsWithTheMainGatewaysTypeAndPort() {
        SiteGatewaySettings nodePort = new SiteGatewaySettings("gw", "http://cloud:8080", java.util.Optional.empty(),
                null, "NodePort", 8088);
        Service s = SiteGatewayObjects.service(new SiteGateway("factory-a", List.of("fa"), EDGE_A, 25), nodePort,
                WORKLOAD, List.of());
        assertEquals("NodePort", s.getSpec().getType());
        assertEquals(8088, s.getSpec().getPorts().get(0).getPort());
        assertEquals(SiteGatewayObjects.selector("factory-a"), s.getSpec().getSelector());
        Deployment d = SiteGatewayObjects.deployment(new SiteGateway("factory-a", List.of("fa"), EDGE_A, 25),
                nodePort, WORKLOAD, List.of());
        assertTrue(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .noneMatch(e -> e.getName().startsWith("STRATUS_SECURITY_")), "no Secret named: no token variables");
    }

    /** The chart passes the main gateway's settings as plain values; a bad resources value stops the operator. */
    @Test
    void theOperatorsOptionsBecomeTheSettingsOrANamedError() {
        var chart = new dev.stratus.operator.launch.OperatorLauncher.SiteGatewayOptions("stratus-gateway",
                java.util.Optional.of("http://stratus-gateway.ml.svc:80"), java.util.Optional.of("team-tokens"),
                java.util.Optional.of("{\"requests\":{\"cpu\":\"250m\"},\"limits\":{\"memory\":\"1Gi\"}}"),
                "NodePort", 8088);
        SiteGatewaySettings s = dev.stratus.operator.launch.OperatorLauncher.siteGateways(chart, "ml");
        assertEquals(new io.fabric8.kubernetes.api.model.Quantity("250m"), s.resources().getRequests().get("cpu"));
        assertEquals(java.util.Optional.of("team-tokens"), s.tokensSecret());
        assertEquals("NodePort", s.serviceType());
        var byHand = new dev.stratus.operator.launch.OperatorLauncher.SiteGatewayOptions("stratus-gateway",
                java.util.Optional.empty(), java.util.Optional.of(""), java.util.Optional.empty(), "ClusterIP", 80);
        SiteGatewaySettings d = dev.stratus.operator.launch.OperatorLauncher.siteGateways(byHand, "ml");
        assertEquals(GATEWAY.cloudUrl(), d.cloudUrl());
        assertEquals(GATEWAY.resources(), d.resources());
        assertTrue(d.tokensSecret().isEmpty());
        var bad = new dev.stratus.operator.launch.OperatorLauncher.SiteGatewayOptions("gw", java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.of("cpu=2"), "ClusterIP", 80);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dev.stratus.operator.launch.OperatorLauncher.siteGateways(bad, "ml"));
        assertTrue(e.getMessage().contains("STRATUS_KUBERNETES_GATEWAY_RESOURCES"), e.getMessage());
    }
}
