package dev.stratus.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.AppCommand;
import dev.stratus.operator.adapter.GatewayTrafficObserver;
import dev.stratus.testing.OipClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stratus gateway} as its Deployment runs it (a real process, its admin token from the environment as the
 * chart's Secret gives it), against the fabric8 mock API server: it becomes ready once its route watches have listed
 * what exists, and its traffic endpoint, whose every read takes the traffic since the previous one away from the
 * operator's control loop, answers only the admin token. What the mock cannot show: a real API server's watch
 * semantics under load, RBAC denying the gateway's service account, and kubelet probes.
 */
class GatewayRoleIT {
    private static final String TOKEN = "gateway-it-admin-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void readyOnceItsRoutesAreSyncedAndItsTrafficOnlyForTheAdminToken() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
                new io.fabric8.mockwebserver.MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        // A planned pipeline over a routed model: the gateway serves it as an endpoint of its own.
        try (var k8s = server.createClient()) {
            var vad = new dev.stratus.operator.crd.InferenceModel();
            vad.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("vad")
                    .withNamespace("stratus-test").build());
            vad.setSpec(new dev.stratus.resource.InferenceModelSpec(null, null, null, null, null, null, null, null,
                    null));
            vad = k8s.resource(vad).create();
            vad.setStatus(new dev.stratus.resource.InferenceModelStatus(1L, List.of(), null, null, null, null, null,
                    null, new dev.stratus.resource.ModelRouting(50.0, "BATCH_AWARE", List.of(
                            new dev.stratus.resource.RouteGroup("vad@p", "g1", 8, 0.6, 1.2)))));
            k8s.resource(vad).updateStatus();
            var pipeline = RenderAndRoutesTest.pipeline("speech", List.of("vad"), java.util.Map.of("vad", 40.0));
            pipeline.getMetadata().setNamespace("stratus-test");
            var status = pipeline.getStatus();
            pipeline.setStatus(null);
            pipeline = k8s.resource(pipeline).create();
            pipeline.setStatus(status);
            k8s.resource(pipeline).updateStatus();
        }
        int port = AppCommand.freePort();
        ProcessBuilder pb = new ProcessBuilder(AppCommand.app(List.of("gateway", "--port", Integer.toString(port),
                "--namespace", "stratus-test"))).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("gateway.log").toFile());
        pb.environment().put("KUBERNETES_MASTER", server.url("/"));
        pb.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        pb.environment().put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        pb.environment().put("STRATUS_SECURITY_ADMIN_TOKEN", TOKEN);
        Process gateway = AppCommand.start(pb);
        try {
            String base = "http://127.0.0.1:" + port;
            AppCommand.awaitOk(URI.create(base + "/q/health/ready"), gateway, Duration.ofMinutes(2));
            OipClient client = new OipClient(base);
            OipClient.Response anonymous = client.get(GatewayTrafficObserver.PATH);
            assertEquals(401, anonymous.status(), anonymous.text());
            assertTrue(JSON.readTree(anonymous.text()).path("error").asText().contains("admin token"),
                    anonymous.text());
            assertEquals(401, client.as("Bearer " + "x".repeat(40)).get(GatewayTrafficObserver.PATH).status());
            OipClient.Response admin = client.as("Bearer " + TOKEN).get(GatewayTrafficObserver.PATH);
            assertEquals(200, admin.status(), admin.text());
            JsonNode body = JSON.readTree(admin.text());
            assertTrue(body.path("models").isObject(), body.toString());
            OipClient.Response speech = client.get("/v2/models/speech");
            assertEquals(200, speech.status(), speech.text());
            assertEquals("stratus_pipeline", JSON.readTree(speech.text()).path("platform").asText(), speech.text());
            assertEquals(404, client.get("/v2/models/unknown").status());
        } finally {
            gateway.destroy();
            if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
                gateway.destroyForcibly().waitFor();
            }
            server.destroy();
        }
        assertTrue(Files.readString(tmp.resolve("gateway.log")).contains("admin"), "its access set-up is logged");
    }
}
