package dev.stratus.operator;

import static dev.stratus.operator.MockCluster.NAMESPACE;
import static dev.stratus.operator.MockCluster.await;
import static dev.stratus.operator.OperatorReconcileTest.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.operator.adapter.PrometheusRulePublisher;
import dev.stratus.operator.crd.InferenceModel;
import dev.stratus.testing.CliRun;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator publishes its models' SLO rules as a PrometheusRule, made by the same generator as
 * {@code ./stratus rules}, only where the Prometheus operator's CRD is served, and writes it only when it changes.
 */
class PrometheusRuleTest {
    static final Duration WAIT = Duration.ofSeconds(40);
    static final ResourceDefinitionContext RULES = new ResourceDefinitionContext.Builder()
            .withGroup("monitoring.coreos.com").withVersion("v1").withKind("PrometheusRule")
            .withPlural("prometheusrules").withNamespaced(true).build();
    static final RulePublishing ON = RulePublishing.on(List.of("release=kube-prometheus-stack"));

    @TempDir
    Path dir;
    /** A fresh mock API server per test (JUnit makes an instance per test), closed after it. */
    @org.junit.jupiter.api.extension.RegisterExtension
    final MockCluster.PerTest perTest = new MockCluster.PerTest();
    MockCluster cluster;

    @BeforeEach
    void start() {
        cluster = perTest.cluster();
    }

    void installPrometheusOperatorCrd() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/operator/prometheusrule-crd.yaml")) {
            cluster.client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
    }

    GenericKubernetesResource rule() {
        return cluster.client.genericKubernetesResources(RULES).inNamespace(NAMESPACE)
                .withName(PrometheusRulePublisher.NAME).get();
    }

    /** What {@code ./stratus rules --format prometheus-rule} writes for these resource documents. */
    Map<?, ?> rulesCommandSpec(String... documents) throws Exception {
        Path config = Files.createDirectories(dir.resolve("config-" + System.nanoTime()));
        for (int i = 0; i < documents.length; i++) {
            Files.writeString(config.resolve(i + ".yaml"), documents[i]);
        }
        Path out = dir.resolve("rule-" + System.nanoTime() + ".yaml");
        CliRun run = CliRun.of("rules", "--config", config.toString(), "--format", "prometheus-rule", "--out",
                out.toString());
        assertEquals(0, run.code(), run.err());
        GenericKubernetesResource written = cluster.client.getKubernetesSerialization()
                .unmarshal(Files.readString(out), GenericKubernetesResource.class);
        return (Map<?, ?>) written.getAdditionalProperties().get("spec");
    }

    int ruleWrites(Map<String, Integer> requests) {
        return requests.entrySet().stream().filter(e -> e.getKey().contains("/prometheusrules"))
                .mapToInt(Map.Entry::getValue).sum();
    }

    @Test
    void theRuleHoldsTheGroupsOfStratusRulesForTheSameModelsAndFollowsAnSloEdit() throws Exception {
        installPrometheusOperatorCrd();
        cluster.apply(sample("pool-cloud-cpu.yaml"));
        cluster.apply(sample("model-vad.yaml"));
        cluster.startOperator(ON);
        await("the PrometheusRule", WAIT, () -> rule() != null);
        GenericKubernetesResource rule = rule();
        assertEquals(rulesCommandSpec(sample("pool-cloud-cpu.yaml"), sample("model-vad.yaml")),
                rule.getAdditionalProperties().get("spec"), "the groups ./stratus rules writes for the same models");
        Map<String, String> labels = rule.getMetadata().getLabels();
        assertEquals("kube-prometheus-stack", labels.get("release"), "the ruleSelector's label");
        assertEquals("stratus-operator", labels.get("app.kubernetes.io/managed-by"));
        InferenceModel vad = cluster.client.resources(InferenceModel.class).inNamespace(NAMESPACE).withName("vad")
                .get();
        assertEquals(List.of(vad.getMetadata().getUid()), rule.getMetadata().getOwnerReferences().stream()
                .map(o -> o.getUid()).toList(), "owned by the model it covers: deleted with it");

        // Steady: more than one periodic refresh writes no PrometheusRule.
        cluster.drainRequests();
        Thread.sleep(6000);
        assertEquals(0, ruleWrites(cluster.drainRequests()), "PrometheusRule writes while nothing changed");

        // An SLO edit changes the rules: the rule follows, with what ./stratus rules makes of the edited model.
        cluster.client.resources(InferenceModel.class).inNamespace(NAMESPACE).withName("vad").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"slo\": {\"latencyMs\": 20}}}");
        String edited = sample("model-vad.yaml").replace("latencyMs: 50", "latencyMs: 20");
        Map<?, ?> expected = rulesCommandSpec(sample("pool-cloud-cpu.yaml"), edited);
        await("the PrometheusRule of the 20 ms SLO", WAIT, () -> expected.equals(rule().getAdditionalProperties()
                .get("spec")));
        assertTrue(rule().getAdditionalProperties().get("spec").toString().contains("missed the 20 ms SLO"));

        // The last model gone: no rules (the mock API server has no garbage collector; a real one also would).
        cluster.client.resources(InferenceModel.class).inNamespace(NAMESPACE).withName("vad").delete();
        await("the PrometheusRule deleted with the last model", WAIT, () -> rule() == null);
    }

    @Test
    void withoutThePrometheusOperatorsCrdNothingIsWrittenAndTheModelsServe() throws Exception {
        cluster.apply(sample("pool-cloud-cpu.yaml"));
        cluster.apply(sample("model-vad.yaml"));
        cluster.startOperator(ON);
        await("vad planned", WAIT, () -> OperatorReconcileTest.condition(cluster.client.resources(
                InferenceModel.class).inNamespace(NAMESPACE).withName("vad").get().getStatus(), "Planned")
                .map(c -> c.isTrue()).orElse(false));
        Thread.sleep(6000); // more than one periodic refresh, where the rules are published
        assertEquals(0, ruleWrites(cluster.drainRequests()), "no PrometheusRule without its CRD");
        assertNull(rule());
    }

    @Test
    void offByDefault() throws Exception {
        installPrometheusOperatorCrd();
        cluster.apply(sample("pool-cloud-cpu.yaml"));
        cluster.apply(sample("model-vad.yaml"));
        cluster.startOperator();
        await("vad's pods", WAIT, () -> !cluster.workerPods().isEmpty());
        Thread.sleep(6000);
        assertNull(rule(), "no PrometheusRule unless asked for");
    }

    @Test
    void labelsMustBeKeyValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RulePublishing.on(List.of("release")));
        assertTrue(e.getMessage().contains("key=value, got 'release'"), e.getMessage());
        assertEquals(Map.of("release", "kps", "team", "ml"), RulePublishing.on(List.of("release=kps", " team = ml"))
                .labels());
    }
}
