package dev.stratus.dataplane.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.backend.local.WorkerProcess;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.model.fleet.DispatchMode;
import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.core.model.fleet.RouteTarget;
import dev.stratus.core.model.fleet.RoutingTable;
import dev.stratus.dataplane.grpc.GrpcEndpoint;
import dev.stratus.dataplane.protocol.grpc.GRPCInferenceServiceGrpc;
import dev.stratus.dataplane.protocol.grpc.ModelInferRequest;
import dev.stratus.dataplane.protocol.grpc.ModelInferResponse;
import dev.stratus.dataplane.protocol.grpc.ModelMetadataRequest;
import dev.stratus.dataplane.protocol.grpc.ModelMetadataResponse;
import dev.stratus.dataplane.protocol.grpc.ModelReadyRequest;
import dev.stratus.dataplane.protocol.grpc.ServerLiveRequest;
import dev.stratus.dataplane.protocol.grpc.ServerMetadataRequest;
import dev.stratus.dataplane.protocol.grpc.ServerReadyRequest;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.metrics.PrometheusText;
import dev.stratus.testing.GrpcClient;
import dev.stratus.security.AccessTokens;
import dev.stratus.security.InferenceTokens;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.RawGrpc;
import dev.stratus.testing.SampleModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway in front of two real worker processes: pass-through, dispatch, shedding, bad input, a killed worker;
 * over HTTP and over gRPC (the gateway's gRPC endpoint, translating to the workers' HTTP through the same dispatch).
 */
class GatewayIT {
    static Vertx vertx;
    static HttpServer server;
    static Gateway gateway;
    static final List<WorkerProcess> workers = new ArrayList<>();
    static OipClient client;
    static GrpcEndpoint grpcEndpoint;
    static GrpcClient grpc;

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        SampleModels.ensureFetched();
        for (int i = 0; i < 2; i++) {
            workers.add(WorkerProcess.start(List.of("--models", "ocr-cls,vad", "--threads", "1", "--max-batch", "4",
                    "--max-queue-delay-ms", "2", "--compress-min-bytes", "1024"), 0,
                    tmp.resolve("worker-" + i + ".log")));
        }
        for (WorkerProcess w : workers) {
            w.awaitReady(Duration.ofMinutes(2));
        }
        vertx = Vertx.vertx();
        gateway = new Gateway(vertx, GatewayMetrics.NONE, 8 << 20, "test");
        gateway.publish(table(1000, DispatchMode.BATCH_AWARE));
        Router router = Router.router(vertx);
        gateway.mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client = new OipClient("http://127.0.0.1:" + server.actualPort());
        grpcEndpoint = new GatewayGrpcApi(gateway).endpoint().start(vertx, "127.0.0.1", 0, 8 << 20);
        grpc = new GrpcClient(grpcEndpoint.port());
    }

    static RoutingTable table(double sloMs, DispatchMode mode) {
        List<RouteTarget> targets = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            if (workers.get(i).process().isAlive()) {
                targets.add(new RouteTarget("w" + i, "127.0.0.1", workers.get(i).port(), 4, 5, 5));
            }
        }
        return new RoutingTable(Map.of("ocr-cls", new ModelRoute("ocr-cls", sloMs, mode, targets),
                "vad", new ModelRoute("vad", sloMs, mode, targets)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (grpc != null) {
            grpc.close();
        }
        if (server != null) {
            grpcEndpoint.close();
            server.close();
            gateway.close();
            vertx.close();
        }
        for (WorkerProcess w : workers) {
            w.close();
        }
    }

    @Test
    void answersAreThoseOfTheWorkerItself() throws Exception {
        List<Tensor> inputs = List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 5).values());
        OipClient direct = new OipClient("http://127.0.0.1:" + workers.get(0).port());
        OipClient.Response viaGateway = client.inferBinary("vad", inputs, "\"parameters\":{\"binary_data_output\":true}");
        OipClient.Response fromWorker = direct.inferBinary("vad", inputs, "\"parameters\":{\"binary_data_output\":true}");
        assertEquals(200, viaGateway.status(), viaGateway.text());
        assertArrayEquals(fromWorker.body(), viaGateway.body());
        assertEquals(fromWorker.headers().get("inference-header-content-length"),
                viaGateway.headers().get("inference-header-content-length"));
        assertEquals(200, client.get("/v2/models/vad").status());
        assertEquals(200, client.get("/v2/health/ready").status());
        assertTrue(client.get("/v2").text().contains("\"ocr-cls\""));
    }

    @Test
    void grpcAnswersAreThoseOfTheWorkerAndItsErrorsKeepTheirCodes() throws Exception {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = grpc.stub();
        assertTrue(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertEquals("stratus-gateway", stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName());
        assertTrue(stub.modelReady(ModelReadyRequest.newBuilder().setName("vad").build()).getReady());
        ModelMetadataResponse meta = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("vad").build());
        assertEquals("vad", meta.getName());
        assertEquals(List.of("input", "state", "sr"), meta.getInputsList().stream()
                .map(ModelMetadataResponse.TensorMetadata::getName).toList());

        // ModelInfer: the same bytes as the worker's own binary answer.
        List<Tensor> inputs = List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 5).values());
        OipClient.Response fromWorker = new OipClient("http://127.0.0.1:" + workers.get(0).port())
                .inferBinary("vad", inputs, "\"parameters\":{\"binary_data_output\":true}");
        ByteBuffer expected = fromWorker.binary();
        ModelInferResponse answer = stub.modelInfer(GrpcClient.raw("vad", inputs).setId("g1").build());
        assertEquals("g1", answer.getId());
        assertEquals("vad", answer.getModelName());
        for (int i = 0; i < answer.getOutputsCount(); i++) {
            ByteBuffer part = answer.getRawOutputContents(i).asReadOnlyByteBuffer();
            assertEquals(expected.slice(expected.position(), part.remaining()), part, answer.getOutputs(i).getName());
            expected.position(expected.position() + part.remaining());
        }
        assertEquals(0, expected.remaining(), "every output byte came back");
        // Typed contents are translated too.
        assertEquals(answer.getRawOutputContentsList(), stub.modelInfer(GrpcClient.typed("vad", inputs).build())
                .getRawOutputContentsList());

        // Errors: the gateway's own (unknown model, malformed input, shed) and the worker's, relayed as codes.
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> stub.modelInfer(GrpcClient.raw("nope", inputs).build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        assertTrue(unknown.getStatus().getDescription().contains("unknown model 'nope'"), unknown.toString());
        ModelInferRequest ok = GrpcClient.raw("vad", inputs).build();
        StatusRuntimeException malformed = assertThrows(StatusRuntimeException.class, () -> stub.modelInfer(
                ok.toBuilder().setRawInputContents(0, ok.getRawInputContents(0).substring(4)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, malformed.getStatus().getCode());
        assertTrue(malformed.getStatus().getDescription().contains("raw_input_contents size"), malformed.toString());
        StatusRuntimeException workerSays = assertThrows(StatusRuntimeException.class, () -> stub.modelInfer(
                ok.toBuilder().addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("probs"))
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, workerSays.getStatus().getCode());
        assertTrue(workerSays.getStatus().getDescription().contains("has no output 'probs'"), workerSays.toString());
        try (RawGrpc raw = new RawGrpc(grpcEndpoint.port())) {
            // A 2 ms gRPC deadline against 5 ms batches: shed at once, as over HTTP.
            RawGrpc.Answer shed = raw.call("ModelInfer", ok, "grpc-timeout", "2m");
            assertEquals("RESOURCE_EXHAUSTED", shed.status(), shed.message());
            assertTrue(shed.message().contains("shed: model 'vad'"), shed.message());
        }
        assertEquals(answer.getRawOutputContentsList(), stub.modelInfer(ok).getRawOutputContentsList());
    }

    @Test
    void batchAwareDispatchFillsOneWorkerThenTheNext() throws Exception {
        List<Tensor> inputs = List.copyOf(SampleInputs.of(SampleModels.spec("ocr-cls"), 1, 9).values());
        double[] before = requests("ocr-cls");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<OipClient.Response>> all = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                all.add(CompletableFuture.supplyAsync(() -> call(() -> client.inferBinary("ocr-cls", inputs, null)),
                        pool));
            }
            for (CompletableFuture<OipClient.Response> f : all) {
                assertEquals(200, f.get(60, TimeUnit.SECONDS).status());
            }
        } finally {
            pool.shutdownNow();
        }
        double[] after = requests("ocr-cls");
        double first = after[0] - before[0];
        double second = after[1] - before[1];
        assertEquals(64, first + second, 0.0);
        assertTrue(first >= 8 && second >= 8, "both replicas served: " + first + " / " + second);
    }

    @Test
    void shedsAtOnceWhatCannotMeetItsDeadline() throws Exception {
        List<Tensor> inputs = List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 5).values());
        // A 2 ms client deadline against 5 ms batches: no replica can make it.
        OipClient.Response shed = client.inferBinary("vad", inputs, null, Gateway.DEADLINE_HEADER, "2");
        assertEquals(429, shed.status());
        assertTrue(shed.text().contains("shed: model 'vad'"), shed.text());
    }

    @Test
    void badRequestsGetClearErrorsAndDoNotDisturbOthers() throws Exception {
        List<Tensor> inputs = List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 5).values());
        assertEquals(404, client.inferJson("nope", "{}").status());
        assertTrue(client.inferJson("nope", "{}").text().contains("unknown model 'nope'"));
        OipClient.Response badDeadline = client.inferBinary("vad", inputs, null, Gateway.DEADLINE_HEADER, "soon");
        assertEquals(400, badDeadline.status());
        assertTrue(badDeadline.text().contains(Gateway.DEADLINE_HEADER), badDeadline.text());
        // Malformed bodies are the worker's to judge; its 400 comes back through the gateway unchanged.
        OipClient.Response malformed = client.inferJson("vad", "{\"inputs\": [");
        assertEquals(400, malformed.status());
        assertTrue(malformed.text().contains("error"), malformed.text());
        assertEquals(200, client.inferBinary("vad", inputs, null).status());
    }

    /**
     * A compressed request goes through as sent (the worker decodes it), an unknown coding is refused at the
     * gateway, a compressed answer comes back compressed, and a wrong method is 405.
     */
    @Test
    void compressedBodiesPassThroughAndUnknownCodingsAreRefused() throws Exception {
        List<Tensor> inputs = List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 5).values());
        byte[] json = ("{\"inputs\":[" + String.join(",", inputs.stream().map(OipClient::jsonInput).toList())
                + "]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(json);
        }
        OipClient.Response plain = client.post("/v2/models/vad/infer", json, "Content-Type", "application/json");
        OipClient.Response zipped = client.post("/v2/models/vad/infer", gz.toByteArray(), "Content-Type",
                "application/json", "Content-Encoding", "gzip", "Accept-Encoding", "gzip");
        assertEquals(200, zipped.status(), zipped.text());
        assertEquals(List.of("gzip"), zipped.headers().get("content-encoding"), "the worker's compressed answer");
        assertArrayEquals(plain.body(), new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(
                zipped.body())).readAllBytes());
        OipClient.Response br = client.post("/v2/models/vad/infer", json, "Content-Encoding", "br");
        assertEquals(415, br.status(), br.text());
        assertTrue(br.text().contains("'br' is not supported"), br.text());
        OipClient.Response put = client.send("PUT", "/v2/models/vad/infer", json);
        assertEquals(405, put.status(), put.text());
        assertEquals(List.of("POST"), put.headers().get("allow"));
    }

    /** A model with tokens of its own needs one of them, over HTTP and gRPC; the others stay open. */
    @Test
    void aModelWithItsOwnTokensNeedsOne() throws Exception {
        String vadToken = "vad-client-token-0123456789";
        AccessTokens tokens = AccessTokens.of(List.of(new AccessTokens.Grant("infer:vad", vadToken),
                new AccessTokens.Grant("admin", "admin-token-0123456789abcdef")));
        Gateway guarded = new Gateway(vertx, GatewayMetrics.NONE, 8 << 20, "test", new InferenceTokens(() -> tokens));
        guarded.publish(table(1000, DispatchMode.BATCH_AWARE));
        Router router = Router.router(vertx);
        guarded.mount(router);
        HttpServer second = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        GrpcEndpoint guardedGrpc = new GatewayGrpcApi(guarded).endpoint().start(vertx, "127.0.0.1", 0, 8 << 20);
        try {
            OipClient anonymous = new OipClient("http://127.0.0.1:" + second.actualPort());
            List<Tensor> vad = List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 5).values());
            OipClient.Response none = anonymous.inferBinary("vad", vad, null);
            assertEquals(401, none.status(), none.text());
            assertEquals(List.of("Bearer realm=\"stratus\""), none.headers().get("www-authenticate"));
            assertTrue(none.text().contains("model 'vad' needs a token"), none.text());
            assertEquals(401, anonymous.get("/v2/models/vad").status(), "its metadata too");
            assertEquals(403, anonymous.as("Bearer admin-token-0123456789abcdef").inferBinary("vad", vad, null)
                    .status(), "another role's token is not this model's");
            assertEquals(200, anonymous.as("Bearer " + vadToken).inferBinary("vad", vad, null).status());
            assertEquals(200, anonymous.get("/v2/health/ready").status(), "health stays open");
            assertEquals(200, anonymous.inferBinary("ocr-cls", List.copyOf(SampleInputs.of(
                    SampleModels.spec("ocr-cls"), 1, 5).values()), null).status(), "a model without tokens is open");
            // gRPC: the same tokens, as the call's authorization metadata.
            ModelInferRequest vadCall = GrpcClient.raw("vad", vad).build();
            try (RawGrpc raw = new RawGrpc(guardedGrpc.port())) {
                RawGrpc.Answer noToken = raw.call("ModelInfer", vadCall);
                assertEquals("UNAUTHENTICATED", noToken.status(), noToken.message());
                assertTrue(noToken.message().contains("model 'vad' needs a token"), noToken.message());
                assertEquals("UNAUTHENTICATED", raw.call("ModelMetadata", ModelMetadataRequest.newBuilder()
                        .setName("vad").build()).status(), "its metadata too");
                assertEquals("PERMISSION_DENIED", raw.call("ModelInfer", vadCall, "authorization",
                        "Bearer admin-token-0123456789abcdef").status());
                assertEquals("OK", raw.call("ModelInfer", vadCall, "authorization", "Bearer " + vadToken).status());
                assertEquals("OK", raw.call("ModelInfer", GrpcClient.raw("ocr-cls", SampleInputs.of(
                        SampleModels.spec("ocr-cls"), 1, 5).values()).build()).status());
            }
        } finally {
            guardedGrpc.close();
            second.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            guarded.close();
        }
    }

    @Test
    void aKilledWorkerLosesNoRequest() throws Exception {
        // A separate third worker is killed, so that the other tests keep their two.
        WorkerProcess victim = WorkerProcess.start(List.of("--models", "ocr-cls,vad", "--threads", "1"), 0,
                Path.of(System.getProperty("java.io.tmpdir"), "gateway-it-victim.log"));
        try {
            victim.awaitReady(Duration.ofMinutes(2));
            List<RouteTarget> targets = new ArrayList<>(table(5000, DispatchMode.ROUND_ROBIN).models().get("vad")
                    .targets());
            targets.add(0, new RouteTarget("victim", "127.0.0.1", victim.port(), 4, 5, 5));
            gateway.publish(new RoutingTable(Map.of("vad", new ModelRoute("vad", 5000, DispatchMode.ROUND_ROBIN,
                    targets), "ocr-cls", table(1000, DispatchMode.BATCH_AWARE).models().get("ocr-cls"))));
            List<Tensor> inputs = List.copyOf(SampleInputs.of(SampleModels.spec("vad"), 1, 5).values());
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<CompletableFuture<OipClient.Response>> all = new ArrayList<>();
            try {
                ModelInferRequest overGrpc = GrpcClient.raw("vad", inputs).build();
                for (int i = 0; i < 300; i++) {
                    // Every third request over gRPC: the same dispatch and retries.
                    boolean viaGrpc = i % 3 == 2;
                    all.add(CompletableFuture.supplyAsync(() -> call(() -> viaGrpc ? grpcCall(overGrpc)
                            : client.inferBinary("vad", inputs, null)), pool));
                    if (i == 60) {
                        victim.process().destroyForcibly(); // kill -9 under load
                    }
                }
                int ok = 0;
                for (CompletableFuture<OipClient.Response> f : all) {
                    OipClient.Response r = f.get(60, TimeUnit.SECONDS);
                    assertTrue(r.status() == 200 || r.text().contains("error"), "every request gets an answer");
                    ok += r.status() == 200 ? 1 : 0;
                }
                // Requests in flight on the killed worker are resent to the others within their deadline.
                assertEquals(300, ok, "all answered successfully thanks to retries");
            } finally {
                pool.shutdownNow();
            }
        } finally {
            victim.close();
            gateway.publish(table(1000, DispatchMode.BATCH_AWARE));
        }
    }

    private double[] requests(String model) throws Exception {
        double[] counts = new double[workers.size()];
        for (int i = 0; i < workers.size(); i++) {
            String text = new OipClient("http://127.0.0.1:" + workers.get(i).port()).get("/q/metrics").text();
            counts[i] = PrometheusText.value(text, "stratus_worker_requests_total", "model", model, "outcome",
                    "success");
        }
        return counts;
    }

    /** A gRPC ModelInfer as a response to check like an HTTP one: 200, or the status in an error text. */
    private static OipClient.Response grpcCall(ModelInferRequest request) {
        try {
            grpc.stub().modelInfer(request);
            return new OipClient.Response(200, Map.of(), new byte[0]);
        } catch (StatusRuntimeException e) {
            return new OipClient.Response(500, Map.of(), ("gRPC error: " + e.getStatus()).getBytes(
                    StandardCharsets.UTF_8));
        }
    }

    interface Call {
        OipClient.Response run() throws Exception;
    }

    private static OipClient.Response call(Call c) {
        try {
            return c.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
