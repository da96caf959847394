package dev.stratus.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.core.model.fleet.RoutingTable;
import dev.stratus.operator.adapter.KubernetesRoutes;
import dev.stratus.operator.crd.InferenceModel;
import dev.stratus.resource.InferenceModelStatus;
import dev.stratus.resource.ModelRouting;
import dev.stratus.resource.RouteGroup;
import dev.stratus.testing.CliRun;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stratus k8s render} without a cluster, and the in-cluster gateway's routing table from pods and status. */
class RenderAndRoutesTest {
    @TempDir
    Path dir;

    @Test
    void renderPrintsThePodsServicesAndJobsTheOperatorWouldCreate() throws Exception {
        Files.copy(Path.of("operators/samples/pool-cloud-cpu.yaml"), dir.resolve("pool.yaml"));
        Files.copy(Path.of("operators/samples/model-vad.yaml"), dir.resolve("vad.yaml"));
        CliRun run = CliRun.of("k8s", "render", "--config", dir.toString(), "--namespace", "ml",
                "--image", "registry.example/stratus:1");
        assertEquals(0, run.code(), run.err());
        List<HasMetadata> objects = java.util.Arrays.stream(run.out().split("(?m)^---\\n")).filter(d -> !d.isBlank())
                .map(d -> (HasMetadata) Serialization.unmarshal(d)).toList();
        List<String> kinds = objects.stream().map(HasMetadata::getKind).toList();
        assertEquals(List.of("Service", "Pod", "Pod"), kinds, run.out());
        Pod pod = (Pod) objects.get(1);
        assertEquals("ml", pod.getMetadata().getNamespace());
        assertEquals("registry.example/stratus:1", pod.getSpec().getContainers().get(0).getImage());
        assertEquals(Labels.SERVING, pod.getMetadata().getLabels().get(Labels.ROLE));
        assertEquals(Labels.STANDBY, ((Pod) objects.get(2)).getMetadata().getLabels().get(Labels.ROLE));
    }

    @Test
    void renderNamesTheFieldOfABadResource() throws Exception {
        Files.copy(Path.of("operators/samples/pool-cloud-cpu.yaml"), dir.resolve("pool.yaml"));
        Files.writeString(dir.resolve("vad.yaml"), Files.readString(Path.of("operators/samples/model-vad.yaml"))
                .replace("latencyMs: 50", "latencyMs: -1"));
        CliRun run = CliRun.of("k8s", "render", "--config", dir.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("InferenceModel 'vad': spec.slo.latencyMs"), run.err());
    }

    @Test
    void renderWithAnUnprofiledPoolPrintsTheProfilingJob() throws Exception {
        Files.writeString(dir.resolve("pool.yaml"), Files.readString(Path.of("operators/samples/pool-gpu.yaml")));
        Files.writeString(dir.resolve("vad.yaml"), Files.readString(Path.of("operators/samples/model-vad.yaml"))
                .replace("allowedPools: [cloud-cpu]", "allowedPools: [gpu-h100]"));
        CliRun run = CliRun.of("k8s", "render", "--config", dir.toString());
        // No profile for the GPU class: the only object is the Job that measures it (no plan can be made yet).
        assertTrue(run.out().contains("kind: \"Job\"") || run.err().contains("no profile"), run.out() + run.err());
    }

    static Pod pod(String name, String group, String role, boolean ready) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).addToLabels(Labels.GROUP, group)
                .addToLabels(Labels.ROLE, role).endMetadata().withNewSpec().addNewContainer().withName("worker")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec();
        if (ready) {
            b.withNewStatus().withPodIP("10.0.0." + name.length()).addNewCondition().withType("Ready")
                    .withStatus("True").endCondition().endStatus();
        }
        return b.build();
    }

    @Test
    void theGatewayRoutesToReadyServingPodsOfTheModelsGroups() {
        InferenceModel vad = new InferenceModel();
        vad.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("vad").build());
        vad.setStatus(new InferenceModelStatus(1L, List.of(), null, null, null, null, null, null,
                new ModelRouting(50.0, "BATCH_AWARE", List.of(new RouteGroup("vad@cloud-cpu", "g1", 8, 0.6, 1.2)))));
        InferenceModel unplanned = new InferenceModel();
        unplanned.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("ocr-cls").build());
        RoutingTable table = KubernetesRoutes.table(List.of(vad, unplanned), List.of(
                pod("a", "g1", Labels.SERVING, true),
                pod("bb", "g1", Labels.STANDBY, true),     // warm pool: never routed
                pod("ccc", "g1", Labels.SERVING, false),   // not ready yet
                pod("dddd", "g1", Labels.DRAINING, true),  // leaving
                pod("eeeee", "g2", Labels.SERVING, true)));  // another group
        ModelRoute route = table.route("vad").orElseThrow();
        assertEquals(List.of("a"), route.targets().stream().map(t -> t.replicaId()).toList());
        assertEquals(8, route.targets().get(0).batch());
        assertEquals(50.0, route.sloMs());
        assertTrue(table.route("ocr-cls").isEmpty(), "a model without routing facts is not routed");
    }

    /** Promotion is a label flip the gateway's watch sees: the same pod, now routed, no restart. */
    @Test
    void aStandbyRelabelledServingJoinsTheGatewaysTableWithoutARestart() throws Exception {
        try (MockCluster cluster = new MockCluster()) {
            String ns = MockCluster.NAMESPACE;
            InferenceModel vad = new InferenceModel();
            vad.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("vad").withNamespace(ns)
                    .build());
            vad.setSpec(new dev.stratus.resource.InferenceModelSpec(null, null, null, null, null, null, null, null, null));
            vad = cluster.client.resource(vad).create();
            vad.setStatus(new InferenceModelStatus(1L, List.of(), null, null, null, null, null, null,
                    new ModelRouting(50.0, "BATCH_AWARE", List.of(new RouteGroup("vad@p", "g1", 8, 0.6, 1.2)))));
            cluster.client.resource(vad).updateStatus();
            for (String[] p : new String[][] {{"serving-a", Labels.SERVING}, {"standby-b", Labels.STANDBY}}) {
                Pod pod = pod(p[0], "g1", p[1], true);
                pod.getMetadata().setNamespace(ns);
                pod.getMetadata().getLabels().put(Labels.MANAGED_BY, Labels.MANAGER);
                pod.getMetadata().getLabels().put(Labels.COMPONENT, "worker");
                cluster.client.resource(pod).create();
            }
            java.util.concurrent.atomic.AtomicReference<RoutingTable> published = new java.util.concurrent.atomic
                    .AtomicReference<>(RoutingTable.EMPTY);
            try (KubernetesRoutes routes = new KubernetesRoutes(cluster.client, ns, published::set)) {
                MockCluster.await("one routed pod", java.time.Duration.ofSeconds(20), () -> published.get()
                        .route("vad").map(r -> r.targets().size() == 1).orElse(false));
                String uid = cluster.client.pods().inNamespace(ns).withName("standby-b").get().getMetadata().getUid();
                cluster.client.pods().inNamespace(ns).withName("standby-b").edit(x -> {
                    x.getMetadata().getLabels().put(Labels.ROLE, Labels.SERVING);
                    return x;
                });
                MockCluster.await("both routed", java.time.Duration.ofSeconds(20), () -> published.get()
                        .route("vad").map(r -> r.targets().size() == 2).orElse(false));
                assertEquals(uid, cluster.client.pods().inNamespace(ns).withName("standby-b").get().getMetadata()
                        .getUid(), "the same pod");
                cluster.client.pods().inNamespace(ns).withName("serving-a").edit(x -> {
                    x.getMetadata().getLabels().put(Labels.ROLE, Labels.DRAINING);
                    return x;
                });
                MockCluster.await("the draining pod out of the table", java.time.Duration.ofSeconds(20),
                        () -> published.get().route("vad").map(r -> r.targets().stream().map(t -> t.replicaId())
                                .toList().equals(List.of("standby-b"))).orElse(false));
            }
        }
    }
}
