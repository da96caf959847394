package dev.stratus.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.AppCommand;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.SampleModels;
import dev.stratus.testing.container.ContainerTests;
import dev.stratus.testing.container.ModelVolume;
import dev.stratus.testing.container.StratusContainer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.BindMode;

/**
 * The all-in-one control service in a container of the image ({@code serve} on the local backend inside it, with
 * a mounted configuration), reached through its gateway on 127.0.0.1: plan, serving, admin API,
 * metrics, and a clean {@code docker stop}.
 */
@ExtendWith(ContainerTests.class)
class ServeContainerIT {
    static final ObjectMapper JSON = new ObjectMapper();

    private static final String ADMIN_TOKEN = "serve-container-it-admin-token-0123456789";

    @Test
    void plansServesAndAnswersTheAdminApiThroughItsGateway() throws Exception {
        int port = AppCommand.freePort();
        Path config = config();
        try (ModelVolume models = ModelVolume.of("ocr-cls", "vad");
                StratusContainer serve = new StratusContainer(models, port, List.of("serve", "--port",
                        Integer.toString(port), "--host", "127.0.0.1", "--period-ms", "1000", "--config", "/config"))
                        .withFileSystemBind(config.toString(), "/config", BindMode.READ_ONLY)
                        // The admin API needs a token: given as a Kubernetes Secret would give it, in the environment.
                        .withEnv("STRATUS_SECURITY_ADMIN_TOKEN", ADMIN_TOKEN)) {
            serve.start();
            // Up to 4 minutes: on hardware with no committed profile the models are profiled first.
            serve.awaitStatus("/v2/health/ready", 200, Duration.ofMinutes(4));
            OipClient client = new OipClient("http://127.0.0.1:" + port, "Bearer " + ADMIN_TOKEN);

            awaitSettled(client);
            JsonNode plan = JSON.readTree(client.get("/admin/v1/plan").body());
            assertTrue(plan.toString().contains("ocr-cls") && plan.toString().contains("vad"), plan.toString());

            // Inference through the gateway to a worker process the service started inside the container.
            ModelSpec cls = SampleModels.spec("ocr-cls");
            Map<String, Tensor> inputs = SampleInputs.of(cls, 2, 31);
            OipClient.Response r = client.inferBinary("ocr-cls", List.copyOf(inputs.values()),
                    "\"parameters\":{\"binary_data_output\":true}");
            assertEquals(200, r.status(), r.text());
            ByteBuffer want = WorkerContainerIT.direct(cls, inputs).get("softmax_0.tmp_0").data();
            ByteBuffer got = r.binary();
            while (want.hasRemaining()) {
                assertEquals(want.getFloat(), got.getFloat(), 1e-4);
            }
            assertEquals(200, client.inferBinary("vad", List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 32)
                    .values()), null).status());
            OipClient.Response unknown = client.inferJson("nope", "{}");
            assertEquals(404, unknown.status());
            assertTrue(JSON.readTree(unknown.body()).hasNonNull("error"), unknown.text());

            // The admin API: resources, a what-if plan, a refused edit.
            assertEquals(2, JSON.readTree(client.get("/admin/v1/models").body()).size());
            JsonNode whatIf = JSON.readTree(client.post("/admin/v1/plan/what-if", "{\"rates\":{\"ocr-cls\":300}}"
                    .getBytes(), "Content-Type", "application/json").body());
            assertTrue(whatIf.path("costPerHour").asDouble() > 0, whatIf.toString());
            OipClient.Response badEdit = client.put("/admin/v1/models/vad", "{\"kind\":\"InferenceModel\"}"
                    .getBytes(), "Content-Type", "application/json");
            assertEquals(400, badEdit.status(), badEdit.text());
            assertEquals(200, client.get("/q/openapi").status());

            String metrics = client.get("/q/metrics").text();
            assertTrue(metrics.contains("stratus_gateway_requests_total{model=\"ocr-cls\",outcome=\"success\"}"),
                    "gateway metrics");
            assertTrue(metrics.contains("stratus_gateway_request_duration_seconds_bucket{"), "gateway metrics");

            assertEquals(0, serve.stopGracefully(Duration.ofSeconds(60)), serve.tail());
        } finally {
            for (String f : List.of("pool.yaml", "ocr-cls.yaml", "vad.yaml", "")) {
                Files.deleteIfExists(config.resolve(f));
            }
        }
    }

    /**
     * The example configuration's shape with SLOs generous enough for a shared two-core machine: this test is
     * about the service working in a container, not about its latency (ServeIT and the benchmarks are).
     */
    static Path config() throws Exception {
        Path dir = Files.createTempDirectory("stratus-config-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(dir.resolve("pool.yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: AcceleratorPool
                metadata: {name: local-cpu}
                spec: {tier: edge, hardwareId: auto, costPerHour: 0.1, maxReplicas: 4, networkRttMs: 0.5,
                       memoryMb: 4096}
                """);
        for (String model : List.of("ocr-cls", "vad")) {
            Files.writeString(dir.resolve(model + ".yaml"), """
                    apiVersion: stratus.dev/v1alpha1
                    kind: InferenceModel
                    metadata: {name: %s}
                    spec:
                      slo: {latencyMs: 2000, percentile: 99}
                      expectedRatePerSecond: 10
                      memoryMb: 300
                      scaling: {minReplicas: 1, maxReplicas: 1, warmPool: 0}
                    """.formatted(model));
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        return dir;
    }

    /**
     * Waits until the planned fleet is up: replicas serving and none still starting (the warm standby competes for
     * the cores while it warms, and the gateway sheds what it then cannot answer in time).
     */
    static void awaitSettled(OipClient client) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String fleet = "";
        while (System.nanoTime() < deadline) {
            fleet = client.get("/admin/v1/fleet").text();
            if (fleet.contains("\"SERVING\"") && !fleet.contains("\"STARTING\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the fleet did not settle: " + fleet);
    }
}
