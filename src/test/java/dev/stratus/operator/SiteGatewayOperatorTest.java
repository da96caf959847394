package dev.stratus.operator;

import static dev.stratus.operator.MockCluster.NAMESPACE;
import static dev.stratus.operator.MockCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.control.status.StatusAggregator;
import dev.stratus.operator.adapter.SiteGatewayObjects;
import dev.stratus.operator.crd.AcceleratorPool;
import dev.stratus.resource.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One gateway Deployment per edge site, made by the operator against the fabric8 mock API server (CRUD mode): made
 * for an edge pool at a site on its nodes, updated when the pool changes, deleted when it loses its site, none for a
 * cloud pool, and reported on the pool's status. The Deployment controller's part (pods becoming available) is
 * played by the test, writing the Deployment's status as the controller would.
 */
class SiteGatewayOperatorTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    final MockCluster.PerTest perTest = new MockCluster.PerTest();
    MockCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = perTest.cluster();
        cluster.apply(Files.readString(Path.of("operators/samples/pool-cloud-cpu.yaml")));
        cluster.apply(Files.readString(Path.of("operators/samples/pool-edge-site.yaml")));
        cluster.apply(Files.readString(Path.of("operators/samples/model-vad.yaml")));
        cluster.startOperator();
    }

    List<Deployment> siteGateways() {
        return cluster.client.apps().deployments().inNamespace(NAMESPACE)
                .withLabel(Labels.NAME, SiteGatewayObjects.NAME).list().getItems();
    }

    Optional<Deployment> gatewayOf(String site) {
        return Optional.ofNullable(cluster.client.apps().deployments().inNamespace(NAMESPACE)
                .withName(SiteGatewayObjects.name(site)).get());
    }

    AcceleratorPool pool(String name) {
        return cluster.client.resources(AcceleratorPool.class).inNamespace(NAMESPACE).withName(name).get();
    }

    Optional<Condition> siteGatewayCondition(String pool) {
        AcceleratorPool p = pool(pool);
        return p.getStatus() == null ? Optional.empty() : p.getStatus().conditions().stream()
                .filter(c -> c.type().equals(StatusAggregator.SITE_GATEWAY_READY)).findFirst();
    }

    /** As kubectl patch --type merge would. */
    void patchPool(String name, String json) {
        cluster.client.resources(AcceleratorPool.class).inNamespace(NAMESPACE).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    @Test
    void anEdgePoolAtASiteGetsItsGatewayOnItsNodesReportedOnItsStatus() {
        // The Service comes right after the Deployment, in the same pass.
        await("the gateway Deployment and Service of factory-a", WAIT, () -> gatewayOf("factory-a").isPresent()
                && cluster.client.services().inNamespace(NAMESPACE).withName(SiteGatewayObjects.name("factory-a"))
                .get() != null);
        Deployment d = gatewayOf("factory-a").orElseThrow();
        AcceleratorPool edge = pool("factory-a");
        assertEquals(1, siteGateways().size(), "the cloud pool gets none");
        assertEquals(edge.getMetadata().getUid(), d.getMetadata().getOwnerReferences().get(0).getUid(),
                "owned by the pool: deleting it deletes the gateway");
        var pod = d.getSpec().getTemplate().getSpec();
        assertEquals(Map.of("topology.kubernetes.io/zone", "factory-a"), pod.getNodeSelector());
        assertEquals("stratus.dev/edge", pod.getTolerations().get(0).getKey());
        // Forwards to the cloud gateway's Service, charging the cloud pool's round trip (2 ms) as planned.
        assertEquals(List.of("gateway", "--port", "8080", "--site", "factory-a", "--cloud-url",
                "http://stratus-gateway." + NAMESPACE + ".svc:80", "--cloud-rtt-ms", "2.000"),
                pod.getContainers().get(0).getArgs());
        Service svc = cluster.client.services().inNamespace(NAMESPACE).withName(d.getMetadata().getName()).get();
        assertEquals(SiteGatewayObjects.selector("factory-a"), svc.getSpec().getSelector());
        assertEquals(d.getMetadata().getUid(), svc.getMetadata().getOwnerReferences().get(0).getUid(),
                "the Service goes with the Deployment");
        await("SiteGatewayReady=False while no gateway pod is available", WAIT, () -> siteGatewayCondition(
                "factory-a").map(c -> c.status().equals(Condition.FALSE)).orElse(false));
        assertTrue(siteGatewayCondition("cloud-cpu").isEmpty(), "a cloud pool has no site gateway condition");
        // The Deployment controller's part: the rollout is observed and its pod available.
        cluster.client.apps().deployments().inNamespace(NAMESPACE).withName(d.getMetadata().getName())
                .editStatus(x -> {
                    x.setStatus(new DeploymentStatusBuilder().withObservedGeneration(x.getMetadata().getGeneration())
                            .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1)
                            .build());
                    return x;
                });
        await("SiteGatewayReady=True Available", WAIT, () -> siteGatewayCondition("factory-a")
                .map(c -> c.isTrue() && c.reason().equals("Available")).orElse(false));
        Condition c = siteGatewayCondition("factory-a").orElseThrow();
        long generation = pool("factory-a").getMetadata().getGeneration() == null ? 0
                : pool("factory-a").getMetadata().getGeneration();
        assertEquals(generation, c.observedGeneration());
        assertTrue(c.message().contains(d.getMetadata().getName()), c.message());
    }

    @Test
    void changingTheNodeSelectorUpdatesTheGatewayAndLosingTheSiteDeletesIt() {
        await("the gateway Deployment of factory-a", WAIT, () -> gatewayOf("factory-a").isPresent());
        String uid = gatewayOf("factory-a").orElseThrow().getMetadata().getUid();
        patchPool("factory-a", "{\"spec\": {\"nodeSelector\": {\"topology.kubernetes.io/zone\": \"factory-a-2\"}}}");
        await("the gateway on the new nodes", WAIT, () -> gatewayOf("factory-a").orElseThrow().getSpec()
                .getTemplate().getSpec().getNodeSelector().equals(Map.of("topology.kubernetes.io/zone",
                        "factory-a-2")));
        assertEquals(uid, gatewayOf("factory-a").orElseThrow().getMetadata().getUid(), "updated, not made again");
        // Another site: the old site's gateway goes, the new one's comes.
        patchPool("factory-a", "{\"spec\": {\"site\": \"factory-b\"}}");
        await("factory-b's gateway instead of factory-a's", WAIT, () -> gatewayOf("factory-a").isEmpty()
                && gatewayOf("factory-b").isPresent());
        // No site: no gateway, no Service, no condition.
        patchPool("factory-a", "{\"spec\": {\"site\": null}}");
        await("no site gateway and no site Service left", WAIT, () -> siteGateways().isEmpty()
                && cluster.client.services().inNamespace(NAMESPACE).withLabel(Labels.NAME, SiteGatewayObjects.NAME)
                .list().getItems().isEmpty());
        await("no SiteGatewayReady condition on a pool at no site", WAIT,
                () -> siteGatewayCondition("factory-a").isEmpty());
    }

    @Test
    void anEdgePoolMovedToTheCloudTierLosesItsGateway() {
        await("the gateway Deployment of factory-a", WAIT, () -> gatewayOf("factory-a").isPresent());
        patchPool("factory-a", "{\"spec\": {\"tier\": \"cloud\"}}");
        await("no site gateway left", WAIT, () -> siteGateways().isEmpty());
    }

    @Test
    void aGatewayDeletedByHandIsMadeAgain() {
        await("the gateway Deployment of factory-a", WAIT, () -> gatewayOf("factory-a").isPresent());
        String uid = gatewayOf("factory-a").orElseThrow().getMetadata().getUid();
        cluster.client.apps().deployments().inNamespace(NAMESPACE).withName(SiteGatewayObjects.name("factory-a"))
                .delete();
        await("a new gateway Deployment of factory-a", WAIT, () -> gatewayOf("factory-a")
                .map(d -> !d.getMetadata().getUid().equals(uid)).orElse(false));
    }
}
