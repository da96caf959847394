package dev.stratus.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.backend.local.AppCommand;
import dev.stratus.backend.local.WorkerProcess;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.gateway.Gateway;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.operator.crd.InferenceModel;
import dev.stratus.resource.InferenceModelSpec;
import dev.stratus.resource.InferenceModelStatus;
import dev.stratus.resource.ModelRouting;
import dev.stratus.resource.RouteGroup;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.SampleModels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An edge site's in-cluster gateway as the operator's Deployment runs it ({@code stratus gateway --site S
 * --cloud-url URL}, a real process) next to the cloud gateway (another), both against the fabric8 mock API server,
 * with one real vad worker process standing for the pods (the test writes the pods and their readiness, as the
 * kubelet would): with no replica at its site the site's gateway forwards to the cloud gateway (served by the
 * cloud); once a pod of its site is ready it serves there (served at the edge); with the cloud gateway gone it keeps
 * serving what its replica can. The cloud gateway never routes to the site's pod. What this cannot show: Service DNS
 * between sites, real network between them, scheduling on the site's nodes.
 */
class SiteGatewayRoleIT {
    private static final String TOKEN = "site-gateway-it-admin-token-0123456789abcdef";
    private static final String NS = "stratus-test";
    private static final List<Tensor> VAD = List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 3).values());

    @TempDir
    Path tmp;

    @Test
    void aSitesGatewaySpillsToTheCloudGatewayUntilItsSiteHasAReplicaAndKeepsServingWithoutTheCloud()
            throws Exception {
        SampleModels.ensureFetched();
        KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
                new io.fabric8.mockwebserver.MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        List<Process> gateways = new ArrayList<>();
        WorkerProcess worker = null;
        try (KubernetesClient client = server.createClient()) {
            client.apiextensions().v1().customResourceDefinitions().load(Path.of(
                    "operators/crds/inferencemodels.stratus.dev-v1.yml").toFile()).create();
            worker = WorkerProcess.start(List.of("--models", "vad", "--threads", "1", "--max-batch", "8",
                    "--max-queue-delay-ms", "2"), 0, tmp.resolve("worker.log"));
            worker.awaitReady(Duration.ofMinutes(2));
            routedVad(client);
            client.resource(pod("cloud-0", null, worker.port())).create();
            int cloudPort = AppCommand.freePort();
            int sitePort = AppCommand.freePort();
            Process cloud = gateway(server, List.of("--port", Integer.toString(cloudPort)), "cloud");
            gateways.add(cloud);
            gateways.add(gateway(server, List.of("--port", Integer.toString(sitePort), "--site", "factory-a",
                    "--cloud-url", "http://127.0.0.1:" + cloudPort, "--cloud-rtt-ms", "5"), "site"));
            AppCommand.awaitOk(URI.create("http://127.0.0.1:" + cloudPort + "/q/health/ready"), cloud,
                    Duration.ofMinutes(2));
            AppCommand.awaitOk(URI.create("http://127.0.0.1:" + sitePort + "/q/health/ready"), gateways.get(1),
                    Duration.ofMinutes(2));
            OipClient site = new OipClient("http://127.0.0.1:" + sitePort);
            OipClient.Response spilled = awaitServed(site, "cloud");
            assertEquals(200, spilled.status(), spilled.text());

            client.resource(pod("edge-0", "factory-a", worker.port())).create();
            OipClient.Response local = awaitServed(site, "edge");
            assertEquals(200, local.status(), local.text());
            // The cloud gateway routes only the cloud's pod: with it gone, the cloud has nothing for vad.
            client.pods().inNamespace(NS).withName("cloud-0").delete();
            OipClient cloudClient = new OipClient("http://127.0.0.1:" + cloudPort);
            MockCluster.await("the cloud gateway without a replica of vad", Duration.ofSeconds(30),
                    () -> status(cloudClient) == 503);
            assertTrue(cloudClient.inferBinary("vad", VAD, null).text().contains("edge site(s) [factory-a]"),
                    "the cloud names the site that serves it");

            cloud.destroy();
            cloud.waitFor(30, TimeUnit.SECONDS);
            for (int i = 0; i < 5; i++) {
                OipClient.Response r = site.inferBinary("vad", VAD, null);
                assertEquals(200, r.status(), "the site serves with its own replica while the cloud is away: "
                        + r.text());
                assertEquals(List.of("edge"), r.headers().get("stratus-served-by"));
            }
        } finally {
            for (Process g : gateways) {
                g.destroy();
                if (!g.waitFor(30, TimeUnit.SECONDS)) {
                    g.destroyForcibly().waitFor();
                }
            }
            if (worker != null) {
                worker.close();
            }
            server.destroy();
        }
    }

    private static int status(OipClient c) {
        try {
            return c.inferBinary("vad", VAD, null).status();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Sends vad requests to the site until one is answered where expected (the watch takes a moment). */
    private static OipClient.Response awaitServed(OipClient site, String where) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        OipClient.Response r = null;
        while (System.nanoTime() < end) {
            r = site.inferBinary("vad", VAD, null);
            if (r.status() == 200 && List.of(where).equals(r.headers().get("stratus-served-by"))) {
                return r;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no answer served by " + where + " within 30 s; last: " + (r == null ? "none"
                : r.status() + " " + r.headers().get("stratus-served-by") + " " + r.text()));
    }

    private Process gateway(KubernetesMockServer server, List<String> options, String name) throws Exception {
        List<String> args = new ArrayList<>(List.of("gateway", "--namespace", NS));
        args.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(AppCommand.app(args)).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + "-gateway.log").toFile());
        pb.environment().put("KUBERNETES_MASTER", server.url("/"));
        pb.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        pb.environment().put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        pb.environment().put("STRATUS_SECURITY_ADMIN_TOKEN", TOKEN);
        return AppCommand.start(pb);
    }

    /** vad with the routing facts the operator writes: group g1, batches of up to 8 at 5 ms (20 ms at worst). */
    private static void routedVad(KubernetesClient client) {
        InferenceModel vad = new InferenceModel();
        vad.setMetadata(new ObjectMetaBuilder().withName("vad").withNamespace(NS).build());
        vad.setSpec(new InferenceModelSpec(null, null, null, null, null, null, null, null, null));
        vad = client.resource(vad).create();
        vad.setStatus(new InferenceModelStatus(1L, List.of(), null, null, null, null, null, null,
                new ModelRouting(2000.0, "BATCH_AWARE", List.of(new RouteGroup("vad@p", "g1", 8, 5.0, 20.0)))));
        client.resource(vad).updateStatus();
    }

    /** A serving, ready worker pod of group g1 answering at 127.0.0.1:port, at an edge site or the cloud's. */
    private static Pod pod(String name, String site, int port) {
        Map<String, String> labels = new HashMap<>(Map.of(Labels.MANAGED_BY, Labels.MANAGER, Labels.COMPONENT,
                "worker", Labels.GROUP, "g1", Labels.ROLE, Labels.SERVING));
        Map<String, String> annotations = new HashMap<>();
        if (site != null) {
            labels.put(Labels.SITE, Labels.labelValue(site));
            annotations.put(Labels.SITE, site);
        }
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(labels)
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().addNewContainer().withName("worker").addNewPort().withName("http")
                .withContainerPort(port).endPort().endContainer().endSpec()
                .withNewStatus().withPodIP("127.0.0.1").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build();
    }
}
