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
        assertEquals(List.of("gateway", "--port", "8080"), gateway.getSpec().getTemplate().getSpec().getContainers()
                .get(0).getArgs());
        assertEquals("ClusterIP", one(objects, io.fabric8.kubernetes.api.model.Service.class, "stratus-gateway")
                .getSpec().getType());
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
        assertTrue(objects.stream().noneMatch(o -> o.getKind().equals("ServiceMonitor")), "off by default");
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

    @Test
    void badValuesFailAtInstallTime() {
        Exception e = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("stratus")
                .set("gateway.replicas", 0).call());
        assertTrue(e.getMessage().contains("replicas"), e.getMessage());
        Exception tier = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("stratus")
                .set("pools[0].name", "p").set("pools[0].spec.tier", "moon").call());
        assertTrue(tier.getMessage().contains("tier"), tier.getMessage());
    }
}
