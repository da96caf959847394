package dev.stratus.operator;

import dev.stratus.core.model.fleet.PipelineRoute;
import dev.stratus.operator.crd.InferencePipeline;
import dev.stratus.resource.InferencePipelineSpec;
import dev.stratus.resource.InferencePipelineStatus;
import dev.stratus.resource.PipelineEdgeSpec;
import dev.stratus.resource.StageBudget;
import java.util.Map;
import java.util.Set;
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

    static InferencePipeline pipeline(String name, List<String> stages, Map<String, Double> budgets) {
        InferencePipeline p = new InferencePipeline();
        p.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        List<PipelineEdgeSpec> edges = new java.util.ArrayList<>();
        for (int i = 1; i < stages.size(); i++) {
            edges.add(new PipelineEdgeSpec(stages.get(i - 1), stages.get(i), null, null));
        }
        p.setSpec(new InferencePipelineSpec(stages, edges, 2000.0, 2.0, null));
        if (budgets != null) {
            p.setStatus(new InferencePipelineStatus(1L, List.of(), budgets.entrySet().stream()
                    .map(e -> new StageBudget(e.getKey(), e.getValue())).toList(), null));
        }
        return p;
    }

    /** The in-cluster gateways serve a pipeline as an endpoint of its own once it is planned and its stages routed. */
    @Test
    void aPlannedPipelineWhoseStagesAreRoutedIsAnEndpointOfItsOwn() {
        Set<String> routed = Set.of("ocr-det", "ocr-rec", "vad");
        Map<String, Double> budgets = Map.of("ocr-det", 800.0, "ocr-rec", 1200.0);
        List<InferencePipeline> pipelines = List.of(
                pipeline("ocr", List.of("ocr-det", "ocr-rec"), budgets),
                pipeline("unplanned", List.of("ocr-det", "ocr-rec"), null),               // no status yet
                pipeline("half-planned", List.of("ocr-det", "ocr-rec"), Map.of("ocr-det", 800.0)),
                pipeline("unrouted", List.of("ocr-det", "ocr-cls"), Map.of("ocr-det", 800.0, "ocr-cls", 100.0)),
                pipeline("vad", List.of("vad"), Map.of("vad", 50.0)),                     // a model's name
                pipeline("twice", List.of("ocr-det", "ocr-det"), Map.of("ocr-det", 800.0))); // invalid spec
        Map<String, PipelineRoute> routes = KubernetesRoutes.pipelineRoutes(pipelines, routed);
        assertEquals(Set.of("ocr"), routes.keySet());
        PipelineRoute ocr = routes.get("ocr");
        assertEquals(List.of("ocr-det", "ocr-rec"), ocr.pipeline().stages());
        assertEquals(2000.0, ocr.sloMs());
        assertEquals(800.0, ocr.budgetMs("ocr-det"));
        assertEquals(1200.0, ocr.reservedAfterMs("ocr-det"));
    }

    /** Promotion is a label flip the gateway's watch sees: the same pod, now routed, no restart. */
    @Test
    void aStandbyRelabelledServingJoinsTheGatewaysTableWithoutARestart() throws Exception {
        try (MockCluster cluster = new MockCluster()) {
            String ns = MockCluster.NAMESPACE;
            routedVad(cluster);
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

    @Test
    void renderPrintsEachEdgeSitesGatewayOnItsPoolsNodes() throws Exception {
        Files.copy(Path.of("operators/samples/pool-cloud-cpu.yaml"), dir.resolve("pool.yaml"));
        Files.copy(Path.of("operators/samples/pool-edge-site.yaml"), dir.resolve("edge.yaml"));
        Files.copy(Path.of("operators/samples/model-vad.yaml"), dir.resolve("vad.yaml"));
        CliRun run = CliRun.of("k8s", "render", "--config", dir.toString(), "--namespace", "ml");
        assertEquals(0, run.code(), run.err());
        List<HasMetadata> objects = java.util.Arrays.stream(run.out().split("(?m)^---\\n")).filter(d -> !d.isBlank())
                .map(d -> (HasMetadata) Serialization.unmarshal(d)).toList();
        List<io.fabric8.kubernetes.api.model.apps.Deployment> gateways = objects.stream()
                .filter(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
                .map(o -> (io.fabric8.kubernetes.api.model.apps.Deployment) o).toList();
        assertEquals(1, gateways.size(), "one site, one gateway: " + run.out());
        var pod = gateways.get(0).getSpec().getTemplate().getSpec();
        assertEquals(java.util.Map.of("topology.kubernetes.io/zone", "factory-a"), pod.getNodeSelector());
        String args = String.join(" ", pod.getContainers().get(0).getArgs());
        assertTrue(args.contains("--site factory-a --cloud-url http://stratus-gateway.ml.svc:80 --cloud-rtt-ms 2.000"),
                args);
        assertTrue(objects.stream().anyMatch(o -> o.getKind().equals("Service") && o.getMetadata().getName()
                .equals(gateways.get(0).getMetadata().getName())), "and its Service");
    }

    static Pod workerAt(String name, String site) {
        Pod p = pod(name, "g1", Labels.SERVING, true);
        p.getMetadata().setNamespace(MockCluster.NAMESPACE);
        p.getMetadata().getLabels().put(Labels.MANAGED_BY, Labels.MANAGER);
        p.getMetadata().getLabels().put(Labels.COMPONENT, "worker");
        if (site != null) {
            p.getMetadata().getLabels().put(Labels.SITE, Labels.labelValue(site));
            p.getMetadata().setAnnotations(java.util.Map.of(Labels.SITE, site));
        }
        return p;
    }

    /**
     * A site's gateway is fed only its site's pods (its watch selects them), and the Gateway of that site (the same
     * class as a local site's) routes to them; the cloud gateway sees every pod, each at its site, and routes only to
     * the cloud's.
     */
    @Test
    void aSitesGatewayRoutesOnlyItsSitesPodsAndTheCloudGatewayOnlyTheClouds() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try (MockCluster cluster = new MockCluster()) {
            String ns = MockCluster.NAMESPACE;
            routedVad(cluster);
            cluster.client.resource(workerAt("cloud-1", null)).create();
            cluster.client.resource(workerAt("edge-a-1", "factory-a")).create();
            cluster.client.resource(workerAt("edge-a-2", "factory-a")).create();
            cluster.client.resource(workerAt("edge-b-1", "factory-b")).create();
            var atSite = new java.util.concurrent.atomic.AtomicReference<>(RoutingTable.EMPTY);
            var all = new java.util.concurrent.atomic.AtomicReference<>(RoutingTable.EMPTY);
            dev.stratus.dataplane.gateway.Gateway siteGateway = new dev.stratus.dataplane.gateway.Gateway(vertx,
                    new dev.stratus.metrics.MicrometerGatewayMetrics(
                            new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), "factory-a"),
                    1 << 20, "test", dev.stratus.dataplane.gateway.InferenceAccess.OPEN, java.util.Optional.of(
                            new dev.stratus.dataplane.gateway.Gateway.Site("factory-a",
                                    java.net.URI.create("http://127.0.0.1:9"))), () -> null);
            dev.stratus.dataplane.gateway.Gateway cloudGateway = new dev.stratus.dataplane.gateway.Gateway(vertx,
                    new dev.stratus.metrics.MicrometerGatewayMetrics(
                            new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), 1 << 20, "test");
            try (KubernetesRoutes site = new KubernetesRoutes(cluster.client, ns, java.util.Optional.of("factory-a"),
                    java.util.Map.of("factory-a", 25.0), t -> {
                        atSite.set(t);
                        siteGateway.publish(t);
                    });
                    KubernetesRoutes cloud = new KubernetesRoutes(cluster.client, ns, t -> {
                        all.set(t);
                        cloudGateway.publish(t);
                    })) {
                MockCluster.await("the site's two pods", java.time.Duration.ofSeconds(20), () -> atSite.get()
                        .route("vad").map(r -> r.targets().size() == 2).orElse(false));
                MockCluster.await("every pod at the cloud gateway's watch", java.time.Duration.ofSeconds(20),
                        () -> all.get().route("vad").map(r -> r.targets().size() == 4).orElse(false));
                assertEquals(List.of("edge-a-1", "edge-a-2"), ids(atSite.get()), "only factory-a's pods");
                assertTrue(atSite.get().route("vad").orElseThrow().targets().stream()
                        .allMatch(t -> t.site().equals("factory-a")));
                assertEquals(java.util.Map.of("factory-a", 25.0), atSite.get().sites(), "the planned round trip");
                assertEquals(List.of("edge-a-1", "edge-a-2"), ids(siteGateway.table()));
                assertEquals(List.of("cloud-1"), ids(cloudGateway.table()), "the cloud routes no edge pod");
                assertEquals(25.0, siteGateway.cloud().orElseThrow().chargedRttMs(), 1e-9);
            } finally {
                siteGateway.close();
                cloudGateway.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** The InferenceModel vad with the routing facts the operator would write: group g1, batch 8. */
    static void routedVad(MockCluster cluster) {
        InferenceModel vad = new InferenceModel();
        vad.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("vad")
                .withNamespace(MockCluster.NAMESPACE).build());
        vad.setSpec(new dev.stratus.resource.InferenceModelSpec(null, null, null, null, null, null, null, null, null));
        vad = cluster.client.resource(vad).create();
        vad.setStatus(new InferenceModelStatus(1L, List.of(), null, null, null, null, null, null,
                new ModelRouting(50.0, "BATCH_AWARE", List.of(new RouteGroup("vad@p", "g1", 8, 0.6, 1.2)))));
        cluster.client.resource(vad).updateStatus();
    }

    static List<String> ids(RoutingTable t) {
        return t.route("vad").orElseThrow().targets().stream().map(x -> x.replicaId()).sorted().toList();
    }
}
