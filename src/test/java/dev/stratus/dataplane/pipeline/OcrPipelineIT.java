package dev.stratus.dataplane.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.WorkerProcess;
import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.model.fleet.DispatchMode;
import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.core.model.fleet.PipelineRoute;
import dev.stratus.core.model.fleet.PipelineWiring;
import dev.stratus.core.model.fleet.RouteTarget;
import dev.stratus.core.model.fleet.RoutingTable;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;
import dev.stratus.dataplane.gateway.Gateway;
import dev.stratus.dataplane.gateway.GatewayMetrics;
import dev.stratus.dataplane.gateway.InferenceAccess;
import dev.stratus.dataplane.gateway.Served;
import dev.stratus.demo.TextPage;
import dev.stratus.demo.TextPage.Line;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.SampleModels;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCR pipeline served end to end: a real worker with the three PP-OCR models, the gateway's pipeline endpoint
 * in front of it, and images rendered here with Java 2D (several strings, sizes, one turned upside down). The text
 * read back must equal what was drawn within a character error rate of {@link #MAX_CER}.
 */
public class OcrPipelineIT {
    /**
     * Edit distance over the characters drawn, spaces left out (PP-OCR often drops or adds a space between words,
     * which is not what this test judges), case kept.
     */
    public static final double MAX_CER = 0.10;
    static final String PIPELINE = "ocr";

    static Vertx vertx;
    static HttpServer server;
    static Gateway gateway;
    static WorkerProcess worker;
    static OipClient client;
    static final ObjectMapper JSON = new ObjectMapper();

    static final List<Line> LINES = List.of(
            new Line("Stratus serves pipelines", 34, 30, 70, false),
            new Line("EDGE AND CLOUD 2026", 28, 30, 150, false),
            new Line("hello world", 40, 30, 240, false),
            new Line("upside down text", 30, 30, 320, true));

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        SampleModels.ensureFetched();
        worker = WorkerProcess.start(List.of("--models", "ocr-det,ocr-cls,ocr-rec", "--threads", "2",
                "--max-batch", "4", "--max-queue-delay-ms", "2"), 0, tmp.resolve("worker.log"));
        worker.awaitReady(Duration.ofMinutes(3));
        vertx = Vertx.vertx();
        gateway = new Gateway(vertx, GatewayMetrics.NONE, 16 << 20, "test", InferenceAccess.OPEN, Optional.empty(),
                SampleModels::ocrDictionary);
        gateway.publish(table());
        Router router = Router.router(vertx);
        gateway.mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client = new OipClient("http://127.0.0.1:" + server.actualPort());
    }

    /**
     * The stages with generous budgets (this test judges what is read, not latency, on a shared machine); the
     * batch latencies are rough, for admission only.
     */
    static RoutingTable table() {
        Map<String, Double> budgets = Map.of("ocr-det", 8000.0, "ocr-cls", 4000.0, "ocr-rec", 8000.0);
        Map<String, ModelRoute> models = new java.util.LinkedHashMap<>();
        budgets.forEach((m, b) -> models.put(m, new ModelRoute(m, b, DispatchMode.BATCH_AWARE,
                List.of(new RouteTarget("w0", "127.0.0.1", worker.port(), 4, 50, 200)))));
        Pipeline p = new Pipeline(PIPELINE, List.of("ocr-det", "ocr-cls", "ocr-rec"), List.of(
                new PipelineEdge("ocr-det", "ocr-cls", 4), new PipelineEdge("ocr-cls", "ocr-rec", 1)), 20000, 1);
        return new RoutingTable(models, Map.of(PIPELINE, new PipelineRoute(p, 20000, budgets,
                new PipelineWiring(PipelineWiring.Processing.PPOCR, Map.of()))), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (worker != null) {
            worker.close();
        }
    }

    public static BufferedImage render() {
        return new TextPage(560, 360, LINES).render();
    }

    public static byte[] encode(BufferedImage img, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), format);
        return out.toByteArray();
    }

    static Tensor rgb(BufferedImage img) {
        ByteBuffer b = ByteBuffer.allocate(img.getWidth() * img.getHeight() * 3);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                b.put((byte) (p >> 16)).put((byte) (p >> 8)).put((byte) p);
            }
        }
        return new Tensor("image", DataType.UINT8, new long[] {img.getHeight(), img.getWidth(), 3}, b.flip());
    }

    /** The recognised lines of an answer. */
    public static List<String> text(OipClient.Response r) throws Exception {
        assertEquals(200, r.status(), r.text());
        JsonNode outputs = JSON.readTree(r.header()).path("outputs");
        List<String> lines = new ArrayList<>();
        for (JsonNode o : outputs) {
            if (o.path("name").asText().equals("text")) {
                o.path("data").forEach(t -> lines.add(t.asText()));
            }
        }
        return lines;
    }

    /** Character error rate: per drawn line, the edit distance to the closest line read; over all characters. */
    public static double cer(List<String> read) {
        int errors = 0;
        int chars = 0;
        for (Line d : LINES) {
            String want = d.text().replace(" ", "");
            chars += want.length();
            errors += read.stream().mapToInt(r -> distance(want, r.replace(" ", ""))).min().orElse(want.length());
        }
        return (double) errors / chars;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1,
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    @Test
    void aPngReadsBackAsTheTextDrawnUpsideDownLineIncluded() throws Exception {
        OipClient.Response r = client.inferBinary(PIPELINE, List.of(Tensor.bytes("image", new long[] {1},
                List.of(encode(render(), "png")))), null);
        List<String> read = text(r);
        double cer = cer(read);
        System.out.printf("OCR pipeline read %s: character error rate %.3f%n", read, cer);
        assertTrue(cer <= MAX_CER, "character error rate " + cer + " over " + LINES + ", read " + read);
        assertEquals(LINES.size(), read.size(), "one text line per line drawn, read " + read);
        assertEquals(Served.CLOUD.label(), r.headers().get("stratus-served-by").get(0));
    }

    @Test
    void aJpegAndRawRgbReadTheSame() throws Exception {
        BufferedImage img = render();
        List<String> jpeg = text(client.inferBinary(PIPELINE, List.of(Tensor.bytes("image", new long[] {1},
                List.of(encode(img, "jpg")))), null));
        assertTrue(cer(jpeg) <= MAX_CER, "JPEG read " + jpeg);
        List<String> raw = text(client.inferBinary(PIPELINE, List.of(rgb(img)), null));
        assertTrue(cer(raw) <= MAX_CER, "raw RGB read " + raw);
    }

    @Test
    void theAnswerHasABoxAndScorePerLine() throws Exception {
        OipClient.Response r = client.inferBinary(PIPELINE, List.of(rgb(render())), null);
        JsonNode outputs = JSON.readTree(r.header()).path("outputs");
        int n = text(r).size();
        for (JsonNode o : outputs) {
            switch (o.path("name").asText()) {
                case "boxes" -> {
                    assertEquals(List.of(n, 4, 2), JSON.convertValue(o.path("shape"), List.class));
                    o.path("data").forEach(v -> assertTrue(v.asDouble() >= 0 && v.asDouble() <= 560, o.toString()));
                }
                case "scores" -> o.path("data").forEach(v -> assertTrue(v.asDouble() >= 0.5 && v.asDouble() <= 1,
                        o.toString()));
                case "text" -> assertEquals("BYTES", o.path("datatype").asText());
                default -> throw new AssertionError("unexpected output " + o);
            }
        }
    }

    @Test
    void thePipelineHasMetadataLikeAModel() throws Exception {
        OipClient.Response r = client.get("/v2/models/" + PIPELINE);
        assertEquals(200, r.status(), r.text());
        JsonNode m = JSON.readTree(r.body());
        assertEquals(PIPELINE, m.path("name").asText());
        assertEquals("image", m.path("inputs").get(0).path("name").asText());
        assertEquals("BYTES", m.path("inputs").get(0).path("datatype").asText());
        assertEquals(List.of("text", "boxes", "scores"), m.path("outputs").findValuesAsText("name"));
        assertEquals(List.of("ocr-det", "ocr-cls", "ocr-rec"), m.path("parameters").path("stages")
                .findValuesAsText("model"));
        assertEquals(200, client.get("/v2/models/" + PIPELINE + "/ready").status());
        assertTrue(JSON.readTree(client.get("/v2").body()).path("models").toString().contains(PIPELINE));
    }

    @Test
    void badImagesAreTheClientsError() throws Exception {
        OipClient.Response notAnImage = client.inferBinary(PIPELINE, List.of(Tensor.bytes("image", new long[] {1},
                List.of("not an image".getBytes()))), null);
        assertEquals(400, notAnImage.status(), notAnImage.text());
        assertTrue(JSON.readTree(notAnImage.body()).path("error").asText().contains("neither PNG nor JPEG"),
                notAnImage.text());
        OipClient.Response wrongName = client.inferBinary(PIPELINE, List.of(new Tensor("x", DataType.UINT8,
                new long[] {2, 2, 3}, ByteBuffer.allocate(12))), null);
        assertEquals(400, wrongName.status(), wrongName.text());
        OipClient.Response empty = client.post("/v2/models/" + PIPELINE + "/infer", new byte[0]);
        assertEquals(400, empty.status(), empty.text());
        // The pipeline still serves after them.
        assertTrue(cer(text(client.inferBinary(PIPELINE, List.of(rgb(render())), null))) <= MAX_CER);
    }
}
