package dev.stratus.operator;

import static dev.stratus.operator.MockCluster.NAMESPACE;
import static dev.stratus.operator.MockCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.operator.crd.InferenceModel;
import dev.stratus.resource.Condition;
import dev.stratus.resource.InferenceModelStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator against the fabric8 mock API server (CRUD mode): apply, scale, edit, delete, restart. */
class OperatorReconcileTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    MockCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static String sample(String file) throws Exception {
        return Files.readString(Path.of("operators/samples", file));
    }

    InferenceModel model(String name) {
        return cluster.client.resources(InferenceModel.class).inNamespace(NAMESPACE).withName(name).get();
    }

    static Optional<Condition> condition(InferenceModelStatus s, String type) {
        return s == null ? Optional.empty() : s.conditions().stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /** The mock API server starts generations at 0 or null where a real one starts at 1: compare to what it has. */
    static long generation(InferenceModel m) {
        return m.getMetadata().getGeneration() == null ? 0 : m.getMetadata().getGeneration();
    }

    boolean conditionIs(String model, String type, String status) {
        return condition(model(model).getStatus(), type).map(c -> c.status().equals(status)).orElse(false);
    }

    @Test
    void applyingAPoolAndAModelPlansItCreatesPodsAndReportsReadiness() throws Exception {
        cluster.apply(sample("pool-cloud-cpu.yaml"));
        cluster.apply(sample("model-vad.yaml"));
        cluster.startOperator();
        await("a serving and a standby pod of vad", WAIT, () -> cluster.pods(Labels.SERVING).size() == 1
                && cluster.pods(Labels.STANDBY).size() == 1);
        InferenceModel vad = model("vad");
        Pod pod = cluster.pods(Labels.SERVING).get(0);
        // The pod: owned by the model, on the pool's nodes with its resources, the model fetched and checked first.
        assertEquals(vad.getMetadata().getUid(), pod.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("cloud-cpu", pod.getSpec().getNodeSelector().get("stratus.dev/pool"));
        Container worker = pod.getSpec().getContainers().get(0);
        assertEquals("stratus:" + dev.stratus.host.Versions.stratus(), worker.getImage());
        assertEquals("/v2/health/ready", worker.getReadinessProbe().getHttpGet().getPath());
        assertEquals("2", worker.getResources().getLimits().get("cpu").toString());
        assertTrue(worker.getArgs().containsAll(java.util.List.of("worker", "--models", "vad")), worker.getArgs()
                .toString());
        Container fetch = pod.getSpec().getInitContainers().get(0);
        assertTrue(fetch.getArgs().contains(vad.getSpec().source().sha256()), fetch.getArgs().toString());
        assertEquals("models", fetch.getVolumeMounts().get(0).getName());
        assertTrue(pod.getSpec().getTerminationGracePeriodSeconds() >= 30);
        assertFalse(cluster.client.services().inNamespace(NAMESPACE).withLabel(Labels.COMPONENT, "worker").list()
                .getItems().isEmpty(), "the group's Service");
        await("Profiled and Planned True, Ready False while pods start", WAIT, () ->
                conditionIs("vad", "Profiled", "True") && conditionIs("vad", "Planned", "True")
                        && conditionIs("vad", "Ready", "False"));
        assertEquals(generation(model("vad")), model("vad").getStatus().observedGeneration());
        assertEquals("ReplicasStarting", condition(model("vad").getStatus(), "Ready").orElseThrow().reason());
        cluster.markAllReady();
        await("Ready True and routing facts once the pods are ready", WAIT, () -> conditionIs("vad", "Ready", "True")
                && model("vad").getStatus().routing().groups().size() == 1);
        InferenceModelStatus s = model("vad").getStatus();
        assertEquals(1, s.replicas().serving());
        assertEquals(1, s.replicas().standby());
        assertTrue(s.costPerHour() > 0);
        assertFalse(s.plan().isEmpty());
        assertEquals(50.0, s.routing().sloMs());
        assertEquals(1, s.routing().groups().size());
        assertEquals(pod.getMetadata().getLabels().get(Labels.GROUP), s.routing().groups().get(0).label());
        long generation = generation(model("vad"));
        s.conditions().forEach(c -> assertEquals(generation, c.observedGeneration(), c.type()));
    }
}
