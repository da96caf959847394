package dev.stratus.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart through real Helm (helm-java: Helm's Go code through its native library): lint, then render. */
class HelmChartTest {
    static final Path CHART = Path.of("helm/stratus");

    static List<HasMetadata> render(Path values) {
        var template = new Helm(CHART).template().withName("stratus").withNamespace("ml");
        if (values != null) {
            template.withValuesFile(values);
        }
        return objects(template.call());
    }

    /** Renders with {@code --set key=value} pairs. */
    static List<HasMetadata> renderSet(Map<String, String> set) {
        var template = new Helm(CHART).template().withName("stratus").withNamespace("ml");
        set.forEach(template::set);
        return objects(template.call());
    }

    static List<HasMetadata> objects(String yaml) {
        return Arrays.stream(yaml.split("(?m)^---\\s*$")).filter(d -> d.lines().anyMatch(l -> l.startsWith("kind:")))
                .map(d -> (HasMetadata) Serialization.unmarshal(d)).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void lintsStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void defaultValuesRenderTheOperatorGatewayServicePdbAndLeastPrivilegeRbac() {
        List<HasMetadata> objects = render(null);
        Deployment operator = one(objects, Deployment.class, "stratus-operator");
        var container = operator.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("stratus:0.1.0-SNAPSHOT", container.getImage(), "the chart's appVersion is the image tag");
        assertTrue(container.getArgs().containsAll(List.of("operator", "--leader-election")), container.getArgs()
                .toString());
        assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals(new Quantity("1Gi"), container.getResources().getLimits().get("memory"));
        assertTrue(container.getSecurityContext().getRunAsNonRoot());
        assertEquals(2, operator.getSpec().getReplicas());
        Deployment gateway = one(objects, Deployment.class, "stratus-gateway");
        var gatewayContainer = gateway.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(List.of("gateway", "--port", "8080", "--grpc-port", "8081"), gatewayContainer.getArgs());
        assertEquals(Map.of("http", 8080, "grpc", 8081), gatewayContainer.getPorts().stream().collect(
                java.util.stream.Collectors.toMap(p -> p.getName(), p -> p.getContainerPort())));
        var service = one(objects, io.fabric8.kubernetes.api.model.Service.class, "stratus-gateway");
        assertEquals("ClusterIP", service.getSpec().getType());
        var grpcPort = service.getSpec().getPorts().stream().filter(p -> "grpc".equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("the gateway's Service publishes no grpc port"));
        assertEquals(8081, grpcPort.getPort());
        assertEquals("grpc", grpcPort.getTargetPort().getStrVal());
        assertEquals("grpc", grpcPort.getAppProtocol(), "meshes and ingresses route it as gRPC (HTTP/2)");
        assertEquals(1, one(objects, PodDisruptionBudget.class, "stratus-gateway").getSpec().getMinAvailable()
                .getIntVal());
        Role role = one(objects, Role.class, "stratus-operator");
        assertTrue(allows(role, "coordination.k8s.io", "leases", "update"), "leader election needs leases");
        assertTrue(allows(role, "", "pods", "patch"), "promotion relabels pods");
        assertFalse(allows(role, "", "secrets", "get"), "no secrets");
        assertFalse(allows(role, "", "pods", "deletecollection"));
        assertTrue(role.getRules().stream().noneMatch(r -> r.getVerbs().contains("*") || r.getResources()
                .contains("*")), "no wildcards");
        Role gatewayRole = one(objects, Role.class, "stratus-gateway");
        assertFalse(allows(gatewayRole, "", "pods", "create"), "the gateway only reads");
        assertTrue(allows(gatewayRole, "stratus.dev", "inferencepipelines", "watch"), "pipelines are endpoints");
        assertFalse(allows(gatewayRole, "stratus.dev", "inferencepipelines", "update"), "the gateway only reads");
        assertTrue(objects.stream().noneMatch(o -> o.getKind().equals("ServiceMonitor")), "off by default");
        // Observability off by default: no dashboard ConfigMap, no PrometheusRule rights, the operator not asked.
        assertTrue(objects.stream().noneMatch(o -> o.getKind().equals("ConfigMap")), "no dashboard ConfigMap");
        assertFalse(allows(role, "monitoring.coreos.com", "prometheusrules", "create"));
        assertFalse(container.getArgs().contains("--prometheus-rule"), container.getArgs().toString());
    }

    @Test
    void observabilityValuesInstallTheDashboardConfigMapAndLetTheOperatorWriteThePrometheusRule() throws Exception {
        List<HasMetadata> objects = renderSet(Map.of("prometheusRule.enabled", "true",
                "prometheusRule.labels.release", "kube-prometheus-stack", "grafanaDashboard.enabled", "true"));
        io.fabric8.kubernetes.api.model.ConfigMap dashboard = one(objects,
                io.fabric8.kubernetes.api.model.ConfigMap.class, "stratus-grafana-dashboard");
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"), "the Grafana sidecar's label");
        assertEquals("stratus", dashboard.getMetadata().getLabels().get("app.kubernetes.io/name"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(json.readTree(CHART.resolve("dashboards/stratus-slo.json").toFile()),
                json.readTree(dashboard.getData().get("stratus-slo.json")), "the dashboard file, unchanged");
        // The chart cannot know the models: the operator writes the PrometheusRule, and may do only that more.
        var container = one(objects, Deployment.class, "stratus-operator").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        String args = String.join(" ", container.getArgs());
        assertTrue(args.contains("--prometheus-rule --prometheus-rule-label release=kube-prometheus-stack"), args);
        Role role = one(objects, Role.class, "stratus-operator");
        for (String verb : List.of("get", "create", "update", "delete")) {
            assertTrue(allows(role, "monitoring.coreos.com", "prometheusrules", verb), verb);
        }
        assertFalse(allows(role, "monitoring.coreos.com", "prometheusrules", "list"), "it names its one rule");
        assertFalse(allows(role, "monitoring.coreos.com", "servicemonitors", "create"));
        assertFalse(allows(one(objects, Role.class, "stratus-gateway"), "monitoring.coreos.com", "prometheusrules",
                "get"), "the gateway gets nothing more");
        // Another sidecar setting: the label can be overridden.
        assertEquals("stratus", one(renderSet(Map.of("grafanaDashboard.enabled", "true",
                "grafanaDashboard.labels.grafana_dashboard", "stratus")), io.fabric8.kubernetes.api.model.ConfigMap.class,
                "stratus-grafana-dashboard").getMetadata().getLabels().get("grafana_dashboard"));
    }

    /**
     * The operator and the gateways listen on the pod's address, where they refuse to start without an admin token:
     * the chart gives both the tokens of one Secret, random ones it creates unless the user names their own.
     */
    @Test
    void theOperatorAndTheGatewaysGetTheirTokensFromOneSecret() {
        List<HasMetadata> objects = render(null);
        io.fabric8.kubernetes.api.model.Secret secret = one(objects, io.fabric8.kubernetes.api.model.Secret.class,
                "stratus-tokens");
        String admin = new String(java.util.Base64.getDecoder().decode(secret.getData().get("admin-token")));
        String viewer = new String(java.util.Base64.getDecoder().decode(secret.getData().get("viewer-token")));
        assertTrue(admin.matches("[A-Za-z0-9]{43}"), "a random admin token: " + admin.length() + " characters");
        assertTrue(admin.length() >= dev.stratus.security.AccessTokens.MIN_LENGTH);
        assertFalse(admin.equals(viewer), "two different tokens");
        assertEquals("keep", secret.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
        assertFalse(admin.equals(new String(java.util.Base64.getDecoder().decode(one(render(null),
                io.fabric8.kubernetes.api.model.Secret.class, "stratus-tokens").getData().get("admin-token")))),
                "a new install draws a new token");
        for (String deployment : List.of("stratus-operator", "stratus-gateway")) {
            assertEquals("stratus-tokens", tokenSecret(one(objects, Deployment.class, deployment)), deployment);
        }
        List<HasMetadata> own = renderSet(Map.of("auth.existingSecret", "team-tokens"));
        assertTrue(own.stream().noneMatch(o -> o.getKind().equals("Secret")), "the user's Secret, none made");
        for (String deployment : List.of("stratus-operator", "stratus-gateway")) {
            assertEquals("team-tokens", tokenSecret(one(own, Deployment.class, deployment)), deployment);
        }
    }

    /**
     * The operator makes one gateway Deployment per edge site, shaped as the chart's main gateway: it is told that
     * gateway's account, resources, Service type and port, the tokens' Secret and the cloud gateway's URL, and may
     * write Deployments (and nothing else more).
     */
    @Test
    void theOperatorShapesEachEdgeSitesGatewayAsTheMainGatewayAndMayWriteDeployments() throws Exception {
        List<HasMetadata> objects = renderSet(Map.of("gateway.service.port", "8088", "gateway.service.type",
                "NodePort", "auth.existingSecret", "team-tokens"));
        var env = one(objects, Deployment.class, "stratus-operator").getSpec().getTemplate().getSpec().getContainers()
                .get(0).getEnv().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(e -> e.getName(), e -> e.getValue()));
        assertEquals("stratus-gateway", env.get("STRATUS_KUBERNETES_GATEWAY_SERVICE_ACCOUNT"));
        assertEquals("http://stratus-gateway.ml.svc:8088", env.get("STRATUS_KUBERNETES_GATEWAY_URL"));
        assertEquals("team-tokens", env.get("STRATUS_KUBERNETES_TOKENS_SECRET"));
        assertEquals("NodePort", env.get("STRATUS_KUBERNETES_GATEWAY_SERVICE_TYPE"));
        assertEquals("8088", env.get("STRATUS_KUBERNETES_GATEWAY_SERVICE_PORT"));
        var resources = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                env.get("STRATUS_KUBERNETES_GATEWAY_RESOURCES"), io.fabric8.kubernetes.api.model.ResourceRequirements.class);
        Deployment gateway = one(objects, Deployment.class, "stratus-gateway");
        assertEquals(gateway.getSpec().getTemplate().getSpec().getContainers().get(0).getResources(), resources,
                "the main gateway's resources");
        Role role = one(objects, Role.class, "stratus-operator");
        for (String verb : List.of("get", "list", "watch", "create", "update", "delete")) {
            assertTrue(allows(role, "apps", "deployments", verb), verb);
        }
        assertFalse(allows(role, "apps", "deployments", "patch"));
        assertFalse(allows(role, "apps", "deployments", "deletecollection"));
        assertFalse(allows(role, "apps", "replicasets", "get"), "only Deployments");
        assertFalse(allows(role, "", "services", "update"), "a site's Service is made again, not updated");
        assertFalse(allows(one(objects, Role.class, "stratus-gateway"), "apps", "deployments", "get"),
                "the gateways (main and sites') only read pods and models");
    }

    private static String tokenSecret(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("STRATUS_SECURITY_ADMIN_TOKEN")).findFirst()
                .orElseThrow(() -> new AssertionError("no admin token in " + d.getMetadata().getName()))
                .getValueFrom().getSecretKeyRef().getName();
    }

    static boolean allows(Role role, String group, String resource, String verb) {
        for (PolicyRule r : role.getRules()) {
            if (r.getApiGroups().contains(group) && r.getResources().contains(resource) && r.getVerbs().contains(verb)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theGpuExampleRendersAGpuPoolAndTheServiceMonitor() {
        List<HasMetadata> objects = render(CHART.resolve("examples/gpu-values.yaml"));
        HasMetadata pool = objects.stream().filter(o -> o.getKind().equals("AcceleratorPool")).findFirst()
                .orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) ((io.fabric8.kubernetes.api.model.GenericKubernetesResource)
                pool).getAdditionalProperties().get("spec");
        assertEquals("gpu-nvidia-h100", spec.get("hardwareId"));
        assertEquals("nvidia.com/gpu", ((Map<?, ?>) spec.get("resources")).get("acceleratorResource"));
        assertEquals("registry.example.com/ml/stratus:0.1.0", one(objects, Deployment.class, "stratus-operator")
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertTrue(objects.stream().anyMatch(o -> o.getKind().equals("ServiceMonitor")));
    }

    /** The gRPC port follows its values, and is gone, argument, container port and Service port, when disabled. */
    @Test
    void theGatewaysGrpcPortFollowsItsValues() {
        List<HasMetadata> moved = renderSet(Map.of("gateway.grpc.port", "9001", "gateway.grpc.servicePort", "443"));
        var container = one(moved, Deployment.class, "stratus-gateway").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertEquals(List.of("gateway", "--port", "8080", "--grpc-port", "9001"), container.getArgs());
        assertTrue(container.getPorts().stream().anyMatch(p -> "grpc".equals(p.getName())
                && p.getContainerPort() == 9001), container.getPorts().toString());
        assertTrue(one(moved, io.fabric8.kubernetes.api.model.Service.class, "stratus-gateway").getSpec().getPorts()
                .stream().anyMatch(p -> "grpc".equals(p.getName()) && p.getPort() == 443));

        List<HasMetadata> off = renderSet(Map.of("gateway.grpc.enabled", "false"));
        var plain = one(off, Deployment.class, "stratus-gateway").getSpec().getTemplate().getSpec().getContainers()
                .get(0);
        assertEquals(List.of("gateway", "--port", "8080"), plain.getArgs());
        assertEquals(List.of("http"), plain.getPorts().stream().map(p -> p.getName()).toList());
        assertEquals(List.of("http"), one(off, io.fabric8.kubernetes.api.model.Service.class, "stratus-gateway")
                .getSpec().getPorts().stream().map(p -> p.getName()).toList());

        // The operator is told the same ports for the edge sites' gateways, and nothing when gRPC is off.
        assertEquals(Map.of("STRATUS_KUBERNETES_GATEWAY_GRPC_PORT", "9001",
                "STRATUS_KUBERNETES_GATEWAY_GRPC_SERVICE_PORT", "443"), grpcEnv(moved));
        assertEquals(Map.of(), grpcEnv(off));
    }

    private static Map<String, String> grpcEnv(List<HasMetadata> objects) {
        return one(objects, Deployment.class, "stratus-operator").getSpec().getTemplate().getSpec().getContainers()
                .get(0).getEnv().stream().filter(e -> e.getName().startsWith("STRATUS_KUBERNETES_GATEWAY_GRPC_"))
                .collect(java.util.stream.Collectors.toMap(e -> e.getName(), e -> e.getValue()));
    }

    @Test
    void badValuesFailAtInstallTime() {
        Exception e = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("stratus")
                .set("gateway.replicas", 0).call());
        assertTrue(e.getMessage().contains("replicas"), e.getMessage());
        Exception tier = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("stratus")
                .set("pools[0].name", "p").set("pools[0].spec.tier", "moon").call());
        assertTrue(tier.getMessage().contains("tier"), tier.getMessage());
        Exception rule = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("stratus")
                .set("prometheusRule.enable", "true").call());
        assertTrue(rule.getMessage().contains("enable"), rule.getMessage());
        Exception grpcOnHttp = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("stratus")
                .set("gateway.grpc.port", 8080).call());
        assertTrue(grpcOnHttp.getMessage().contains("grpc"), grpcOnHttp.getMessage());
    }
}
