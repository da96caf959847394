package dev.stratus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.ServiceProcess;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.pipeline.OcrPipelineIT;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.profiles.FileProfileStore;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.SampleModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stratus serve} with the OCR pipeline in the cloud pool and vad at an edge site: the plan's stage budgets
 * reach the pipeline endpoint, an image is read through the planned workers, and the site's gateway listens on its
 * own loopback address and serves vad with its own replica. The pools name the committed profiles' hardware, so
 * nothing is profiled first; the cloud pool is planned as four times slower than that hardware, so that the stage
 * budgets leave room for two shared cores (the worker drops a stage request its budget cannot be met for).
 */
class PipelineServeIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path dir;
    static ServiceProcess serve;
    static OipClient client;

    @BeforeAll
    static void start() throws Exception {
        SampleModels.ensureFetched();
        dir = Files.createTempDirectory("pipeline-serve-it-");
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("resources.yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: AcceleratorPool
                metadata: {name: cloud}
                spec: {tier: cloud, hardwareId: cpu-amd-epyc-2c, latencyScale: 4, costPerHour: 0.1, maxReplicas: 4,
                       networkRttMs: 20, memoryMb: 4096}
                ---
                apiVersion: stratus.dev/v1alpha1
                kind: AcceleratorPool
                metadata: {name: shop-floor}
                spec: {tier: edge, site: shop, hardwareId: cpu-amd-epyc-2c, costPerHour: 0.05, maxReplicas: 1,
                       networkRttMs: 1, memoryMb: 2048}
                ---
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: vad}
                spec:
                  slo: {latencyMs: 200, percentile: 99}
                  expectedRatePerSecond: 5
                  allowedPools: [shop-floor]
                  memoryMb: 300
                  scaling: {minReplicas: 1, maxReplicas: 1, warmPool: 0}
                ---
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: ocr-det}
                spec: {allowedPools: [cloud], memoryMb: 400, maxBatch: 4, scaling: {warmPool: 0}}
                ---
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: ocr-cls}
                spec: {allowedPools: [cloud], memoryMb: 200, maxBatch: 8, scaling: {warmPool: 0}}
                ---
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: ocr-rec}
                spec: {allowedPools: [cloud], memoryMb: 400, maxBatch: 8, scaling: {warmPool: 0}}
                ---
                apiVersion: stratus.dev/v1alpha1
                kind: InferencePipeline
                metadata: {name: ocr}
                spec:
                  stages: [ocr-det, ocr-cls, ocr-rec]
                  edges: [{from: ocr-det, to: ocr-cls, fanOut: 4}, {from: ocr-cls, to: ocr-rec}]
                  sloMs: 8000
                  ratePerSecond: 1
                  processing: ppocr
                """);
        serve = ServiceProcess.start(ServiceProcess.Options.of(config, dir)
                .withProfiles(FileProfileStore.copy(Path.of("profiles").toAbsolutePath(), dir.resolve("profiles")))
                .withArgs(List.of("--site-address", "shop=127.0.0.2:0")));
        client = new OipClient(serve.base(), serve.admin().authorization());
        serve.awaitReady(Duration.ofMinutes(4));
        assertEquals(200, client.get("/v2/models/ocr/ready").status(), serve.tail());
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void theStageBudgetsArePlannedAndAnImageIsRead() throws Exception {
        JsonNode meta = JSON.readTree(client.get("/v2/models/ocr").body());
        double sum = 0;
        for (JsonNode s : meta.path("parameters").path("stages")) {
            double b = s.path("budget_ms").asDouble();
            assertTrue(b > 0 && b < 8000, "a planned budget, not the whole SLO: " + meta);
            sum += b;
        }
        assertTrue(sum <= 8000 + 1e-6, "the budgets split the SLO: " + meta);
        OipClient.Response r = client.inferBinary("ocr", List.of(Tensor.bytes("image", new long[] {1},
                List.of(OcrPipelineIT.encode(OcrPipelineIT.render(), "png")))), null);
        List<String> read = OcrPipelineIT.text(r);
        assertTrue(OcrPipelineIT.cer(read) <= OcrPipelineIT.MAX_CER, "read " + read);
        String metrics = client.get("/q/metrics").text();
        assertTrue(metrics.contains("stratus_gateway_sli_good_requests_total{model=\"ocr\",site=\"cloud\"}"),
                "the pipeline's end-to-end SLI");
    }

    @Test
    void theEdgeSiteHasItsOwnGatewayOnItsOwnAddress() throws Exception {
        JsonNode sites = JSON.readTree(client.get("/admin/v1/sites").body());
        JsonNode shop = null;
        for (JsonNode s : sites) {
            if (s.path("site").asText().equals("shop")) {
                shop = s;
            }
        }
        assertTrue(shop != null, sites.toString());
        assertTrue(shop.path("url").asText().startsWith("http://127.0.0.2:"), shop.toString());
        OipClient edge = new OipClient(shop.path("url").asText());
        List<Tensor> vad = List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 3).values());
        OipClient.Response r = edge.inferBinary("vad", vad, null);
        assertEquals(200, r.status(), r.text());
        assertEquals("edge", r.headers().get("stratus-served-by").get(0));
        OipClient.Response atCloud = client.inferBinary("vad", vad, null);
        assertEquals(503, atCloud.status(), "the cloud gateway has no vad replica: vad's only pool is at the site");
        assertTrue(atCloud.text().contains("served at edge site(s) [shop]"), atCloud.text());
    }
}
