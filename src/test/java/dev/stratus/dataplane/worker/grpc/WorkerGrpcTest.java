package dev.stratus.dataplane.worker.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.stratus.app.WorkerRole;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.protocol.grpc.GRPCInferenceServiceGrpc;
import dev.stratus.dataplane.protocol.grpc.InferParameter;
import dev.stratus.dataplane.protocol.grpc.InferTensorContents;
import dev.stratus.dataplane.protocol.grpc.ModelInferRequest;
import dev.stratus.dataplane.protocol.grpc.ModelInferResponse;
import dev.stratus.dataplane.protocol.grpc.ModelMetadataRequest;
import dev.stratus.dataplane.protocol.grpc.ModelMetadataResponse;
import dev.stratus.dataplane.protocol.grpc.ModelReadyRequest;
import dev.stratus.dataplane.protocol.grpc.ModelStreamInferResponse;
import dev.stratus.dataplane.protocol.grpc.ServerLiveRequest;
import dev.stratus.dataplane.protocol.grpc.ServerMetadataRequest;
import dev.stratus.dataplane.protocol.grpc.ServerMetadataResponse;
import dev.stratus.dataplane.protocol.grpc.ServerReadyRequest;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.metrics.PrometheusText;
import dev.stratus.testing.GoodTraffic;
import dev.stratus.testing.GrpcClient;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.RawGrpc;
import dev.stratus.testing.SampleModels;
import dev.stratus.testing.SampleModelsResource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's Open Inference Protocol over gRPC, called by grpc-java's own client (generated stubs, Netty
 * transport) against real ONNX Runtime on the sample models (test profile: ocr-cls, vad, wakeword; max batch 8;
 * 1 MiB limit): every RPC, answers equal to the REST API's, the same bad-input table with gRPC codes while good
 * traffic flows, deadlines from the gRPC deadline, and the stream.
 */
@QuarkusTest
@QuarkusTestResource(SampleModelsResource.class)
class WorkerGrpcTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    WorkerRole role;

    OipClient http;
    GrpcClient grpc;

    @BeforeEach
    void awaitReady() throws Exception {
        http = new OipClient(base.toString()).awaitReady(Duration.ofMinutes(2));
        assertTrue(role.grpcPort() > 0, "gRPC is served in the test profile");
        grpc = new GrpcClient(role.grpcPort());
    }

    @AfterEach
    void close() throws Exception {
        grpc.close();
    }

    @Test
    void everyRpcAnswersAsTheRestApiDoes() throws Exception {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = grpc.stub();
        assertTrue(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        ServerMetadataResponse server = stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());
        JsonNode restServer = JSON.readTree(http.get("/v2").body());
        assertEquals(restServer.get("name").asText(), server.getName());
        assertEquals(restServer.get("version").asText(), server.getVersion());
        assertEquals(List.of("binary_tensor_data", "model_configuration"), server.getExtensionsList());

        assertTrue(stub.modelReady(ModelReadyRequest.newBuilder().setName("vad").build()).getReady());
        assertTrue(stub.modelReady(ModelReadyRequest.newBuilder().setName("vad").setVersion("1").build()).getReady());
        assertCode(Status.Code.NOT_FOUND, "unknown model 'resnet'",
                () -> stub.modelReady(ModelReadyRequest.newBuilder().setName("resnet").build()));
        assertCode(Status.Code.NOT_FOUND, "no version '9'",
                () -> stub.modelReady(ModelReadyRequest.newBuilder().setName("vad").setVersion("9").build()));

        for (String model : List.of("vad", "ocr-cls", "wakeword")) {
            ModelMetadataResponse meta = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(model).build());
            JsonNode rest = JSON.readTree(http.get("/v2/models/" + model).body());
            assertEquals(rest.get("name").asText(), meta.getName());
            assertEquals(rest.get("platform").asText(), meta.getPlatform());
            assertEquals(rest.get("versions").get(0).asText(), meta.getVersions(0));
            assertEquals(describe(rest.get("inputs")), describe(meta.getInputsList()), model + " inputs");
            assertEquals(describe(rest.get("outputs")), describe(meta.getOutputsList()), model + " outputs");
        }
        assertCode(Status.Code.NOT_FOUND, "unknown model 'resnet'",
                () -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("resnet").build()));
    }

    @Test
    void inferenceAnswersEqualTheRestApis() throws Exception {
        for (String model : List.of("vad", "ocr-cls", "wakeword")) {
            ModelSpec spec = SampleModels.spec(model);
            Map<String, Tensor> inputs = SampleInputs.of(spec, 1, 17);
            OipClient.Response rest = http.inferBinary(model, List.copyOf(inputs.values()),
                    "\"parameters\":{\"binary_data_output\":true}");
            assertEquals(200, rest.status(), rest.text());
            JsonNode header = JSON.readTree(rest.header());
            ByteBuffer restBinary = rest.binary();
            for (UnaryOperator<ModelInferRequest.Builder> form : List.<UnaryOperator<ModelInferRequest.Builder>>of(
                    b -> b, b -> b.setModelVersion("1"))) {
                for (ModelInferRequest.Builder request : List.of(GrpcClient.raw(model, inputs.values()),
                        GrpcClient.typed(model, inputs.values()))) {
                    // Plain calls are read by the endpoint itself (UnaryMessage), compressed ones by Vert.x's gRPC
                    // reader: both answer as REST does.
                    for (GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub : List.of(grpc.stub(),
                            grpc.stub().withCompression("gzip"))) {
                        ModelInferResponse answer = stub.modelInfer(form.apply(request.setId("req-" + model))
                                .build());
                        assertEquals(model, answer.getModelName());
                        assertEquals("1", answer.getModelVersion());
                        assertEquals("req-" + model, answer.getId());
                        assertEquals(header.get("outputs").size(), answer.getOutputsCount());
                        ByteBuffer expected = restBinary.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                        for (int i = 0; i < answer.getOutputsCount(); i++) {
                            JsonNode o = header.get("outputs").get(i);
                            Tensor got = GrpcClient.output(answer, i);
                            assertEquals(o.get("name").asText(), got.name());
                            assertEquals(o.get("datatype").asText(), got.datatype().name());
                            assertEquals(o.get("shape").toString(), JSON.valueToTree(got.shape()).toString());
                            ByteBuffer g = got.data();
                            for (long k = 0; k < got.elementCount(); k++) {
                                assertEquals(expected.getFloat(), g.getFloat(), 1e-4,
                                        model + " " + got.name() + "[" + k + "]");
                            }
                        }
                    }
                }
            }
        }
        // Output selection, and a request of several items.
        ModelSpec cls = SampleModels.spec("ocr-cls");
        ModelInferResponse two = grpc.stub().modelInfer(GrpcClient.raw("ocr-cls",
                SampleInputs.of(cls, 2, 9).values()).addOutputs(ModelInferRequest.InferRequestedOutputTensor
                .newBuilder().setName("softmax_0.tmp_0")).build());
        assertEquals(1, two.getOutputsCount());
        assertEquals(List.of(2L, 2L), two.getOutputs(0).getShapeList());
        assertEquals(16, two.getRawOutputContents(0).size());
    }

    /** One bad request: what it is, the request, the gRPC code the REST status maps to, a phrase of the message. */
    record Bad(String what, ModelInferRequest request, Status.Code code, String phrase) {
    }

    @Test
    void badInputGetsTheRestApisErrorsAsGrpcCodesWhileGoodTrafficFlows() throws Exception {
        ModelSpec cls = SampleModels.spec("ocr-cls");
        Map<String, Tensor> goodInputs = SampleInputs.of(cls, 1, 11);
        ModelInferRequest goodRequest = GrpcClient.raw("ocr-cls", goodInputs.values()).build();
        ModelInferResponse reference = grpc.stub().modelInfer(goodRequest);
        try (GoodTraffic traffic = GoodTraffic.start(3, (thread, i) -> {
            ModelInferResponse r = grpc.stub().modelInfer(goodRequest);
            return r.getRawOutputContents(0).equals(reference.getRawOutputContents(0)) ? null : "corrupted output";
        })) {
            traffic.besideRounds(() -> {
                for (Bad bad : badRequests(cls)) {
                    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                            () -> grpc.stub().modelInfer(bad.request()), bad.what());
                    assertEquals(bad.code(), e.getStatus().getCode(), bad.what() + ": " + e.getStatus());
                    assertTrue(String.valueOf(e.getStatus().getDescription()).contains(bad.phrase()), bad.what()
                            + ": message '" + e.getStatus().getDescription() + "' lacks '" + bad.phrase() + "'");
                }
            });
        }
    }

    private static List<Bad> badRequests(ModelSpec cls) {
        Map<String, Tensor> x = SampleInputs.of(cls, 1, 1);
        ModelInferRequest ok = GrpcClient.raw("ocr-cls", x.values()).build();
        ModelInferRequest.InferInputTensor xIn = ok.getInputs(0);
        ByteString xRaw = ok.getRawInputContents(0);
        Tensor nine = SampleInputs.of(cls, 9, 1).get("x");
        return List.of(
                new Bad("unknown model", ok.toBuilder().setModelName("resnet").build(), Status.Code.NOT_FOUND,
                        "unknown model 'resnet'"),
                new Bad("unknown version", ok.toBuilder().setModelVersion("7").build(), Status.Code.NOT_FOUND,
                        "no version '7'"),
                new Bad("no inputs", ModelInferRequest.newBuilder().setModelName("ocr-cls").build(),
                        Status.Code.INVALID_ARGUMENT, "no 'inputs'"),
                new Bad("missing input", ModelInferRequest.newBuilder().setModelName("vad").addInputs(
                        input("sr", "INT64").setContents(InferTensorContents.newBuilder().addInt64Contents(16000)))
                        .build(), Status.Code.INVALID_ARGUMENT, "needs input(s) [input, state]"),
                new Bad("extra input", ok.toBuilder().addInputs(input("y", "FP32", 1))
                        .addRawInputContents(ByteString.copyFrom(new byte[4])).build(), Status.Code.INVALID_ARGUMENT,
                        "has no input(s) [y]"),
                new Bad("duplicate input", ok.toBuilder().addInputs(xIn).addRawInputContents(xRaw).build(),
                        Status.Code.INVALID_ARGUMENT, "given more than once"),
                new Bad("wrong datatype", ModelInferRequest.newBuilder().setModelName("ocr-cls")
                        .addInputs(input("x", "INT64", 1, 3, 2, 2)).addRawInputContents(ByteString.copyFrom(
                                new byte[96])).build(), Status.Code.INVALID_ARGUMENT, "expected datatype FP32, got INT64"),
                new Bad("unsupported datatype", ModelInferRequest.newBuilder().setModelName("ocr-cls")
                        .addInputs(input("x", "BYTES", 1)).addRawInputContents(ByteString.copyFromUtf8("a")).build(),
                        Status.Code.INVALID_ARGUMENT, "BYTES is not supported"),
                new Bad("unknown datatype", ModelInferRequest.newBuilder().setModelName("ocr-cls")
                        .addInputs(input("x", "FP31", 1)).addRawInputContents(ByteString.copyFrom(new byte[4])).build(),
                        Status.Code.INVALID_ARGUMENT, "unknown datatype 'FP31'"),
                new Bad("wrong rank", ModelInferRequest.newBuilder().setModelName("ocr-cls")
                        .addInputs(input("x", "FP32", 3, 2)).addRawInputContents(ByteString.copyFrom(new byte[24]))
                        .build(), Status.Code.INVALID_ARGUMENT, "expected shape [-1, 3, -1, -1]"),
                new Bad("wrong fixed dim", ModelInferRequest.newBuilder().setModelName("ocr-cls")
                        .addInputs(input("x", "FP32", 1, 1, 2, 2)).addRawInputContents(ByteString.copyFrom(
                                new byte[16])).build(), Status.Code.INVALID_ARGUMENT, "got [1, 1, 2, 2]"),
                new Bad("raw size", ok.toBuilder().setRawInputContents(0, xRaw.substring(4)).build(),
                        Status.Code.INVALID_ARGUMENT, "needs 110592 bytes but its raw_input_contents size is 110588"),
                new Bad("contents length", ModelInferRequest.newBuilder().setModelName("ocr-cls")
                        .addInputs(input("x", "FP32", 1, 3, 48, 192).setContents(InferTensorContents.newBuilder()
                                .addFp32Contents(1).addFp32Contents(2).addFp32Contents(3))).build(),
                        Status.Code.INVALID_ARGUMENT, "needs 27648 elements but 'contents' has 3"),
                new Bad("contents in the wrong field", ModelInferRequest.newBuilder().setModelName("vad")
                        .addInputs(input("sr", "INT64").setContents(InferTensorContents.newBuilder()
                                .addFp32Contents(16000))).build(), Status.Code.INVALID_ARGUMENT,
                        "needs 1 elements but 'contents' has 0"),
                new Bad("no data", ModelInferRequest.newBuilder().setModelName("ocr-cls")
                        .addInputs(input("x", "FP32", 1, 3, 48, 192)).build(), Status.Code.INVALID_ARGUMENT,
                        "has no 'contents'"),
                new Bad("raw count", ok.toBuilder().addRawInputContents(xRaw).build(), Status.Code.INVALID_ARGUMENT,
                        "raw_input_contents has 2 entries but the request has 1 inputs"),
                new Bad("both contents and raw", ok.toBuilder().setInputs(0, xIn.toBuilder().setContents(
                        InferTensorContents.newBuilder().addFp32Contents(1))).build(), Status.Code.INVALID_ARGUMENT,
                        "both 'contents' and raw_input_contents"),
                new Bad("batch over max", GrpcClient.raw("ocr-cls", List.of(nine)).build(),
                        Status.Code.INVALID_ARGUMENT, "exceeds the max batch size 8"),
                new Bad("fixed-batch model", ModelInferRequest.newBuilder().setModelName("wakeword")
                        .addInputs(input("onnx::Flatten_0", "FP32", 2, 25, 96)).addRawInputContents(
                                ByteString.copyFrom(new byte[2 * 25 * 96 * 4])).build(), Status.Code.INVALID_ARGUMENT,
                        "expected shape [1, 25, 96]"),
                new Bad("unknown output", ok.toBuilder().addOutputs(ModelInferRequest.InferRequestedOutputTensor
                        .newBuilder().setName("probs")).build(), Status.Code.INVALID_ARGUMENT, "has no output 'probs'"),
                new Bad("unsupported request parameter", ok.toBuilder().putParameters("priority", InferParameter
                        .newBuilder().setInt64Param(1).build()).build(), Status.Code.INVALID_ARGUMENT,
                        "parameter 'priority' is not supported"),
                new Bad("unsupported output parameter", ok.toBuilder().addOutputs(ModelInferRequest
                        .InferRequestedOutputTensor.newBuilder().setName("softmax_0.tmp_0").putParameters(
                        "classification", InferParameter.newBuilder().setInt64Param(2).build())).build(),
                        Status.Code.INVALID_ARGUMENT, "parameter 'classification' is not supported"),
                new Bad("negative timeout", ok.toBuilder().putParameters("timeout", InferParameter.newBuilder()
                        .setInt64Param(-1).build()).build(), Status.Code.INVALID_ARGUMENT, "parameter 'timeout'"),
                new Bad("timeout passed", ok.toBuilder().putParameters("timeout", InferParameter.newBuilder()
                        .setInt64Param(1).build()).build(), Status.Code.DEADLINE_EXCEEDED, "deadline"),
                new Bad("message over the limit", ok.toBuilder().addRawInputContents(ByteString.copyFrom(
                        new byte[2 << 20])).build(), Status.Code.RESOURCE_EXHAUSTED, "1048576"));
    }

    private static ModelInferRequest.InferInputTensor.Builder input(String name, String datatype, long... shape) {
        ModelInferRequest.InferInputTensor.Builder b = ModelInferRequest.InferInputTensor.newBuilder().setName(name)
                .setDatatype(datatype);
        for (long d : shape) {
            b.addShape(d);
        }
        return b;
    }

    /**
     * The gRPC deadline (the grpc-timeout every client derives from its call's deadline) is the request's deadline in
     * the worker, tightened by Triton's timeout parameter; the worker refuses what it cannot answer in time itself.
     * Sent by a client that keeps no timer of its own, so that the answer seen is the worker's.
     */
    @Test
    void theGrpcDeadlineIsTheWorkersDeadline() throws Exception {
        ModelSpec cls = SampleModels.spec("ocr-cls");
        ModelInferRequest one = GrpcClient.raw("ocr-cls", SampleInputs.of(cls, 1, 4).values()).build();
        try (RawGrpc raw = new RawGrpc(role.grpcPort())) {
            RawGrpc.Answer passed = raw.call("ModelInfer", one, "grpc-timeout", "1u");
            assertEquals("DEADLINE_EXCEEDED", passed.status());
            assertTrue(passed.message().contains("deadline exceeded before the request was queued for model "
                    + "'ocr-cls'"), passed.message());
            RawGrpc.Answer tooShort = raw.call("ModelInfer", one, "grpc-timeout", "50u");
            assertEquals("DEADLINE_EXCEEDED", tooShort.status(), tooShort.message());
            RawGrpc.Answer generous = raw.call("ModelInfer", one, "grpc-timeout", "30S");
            assertEquals("OK", generous.status(), generous.message());
            assertEquals(1, ModelInferResponse.parseFrom(generous.body().getBytes()).getOutputsCount());
            RawGrpc.Answer tighterParameter = raw.call("ModelInfer", one.toBuilder().putParameters("timeout",
                    InferParameter.newBuilder().setInt64Param(1).build()).build(), "grpc-timeout", "30S");
            assertEquals("DEADLINE_EXCEEDED", tighterParameter.status(), tighterParameter.message());
            RawGrpc.Answer malformed = raw.call("ModelInfer", one, "grpc-timeout", "soon");
            assertEquals("INVALID_ARGUMENT", malformed.status());
            assertTrue(malformed.message().contains("grpc-timeout"), malformed.message());
            RawGrpc.Answer unknownMethod = raw.call("RepositoryIndex", one);
            assertEquals("UNIMPLEMENTED", unknownMethod.status());
        }
        // grpc-java's own deadline reaches the worker the same way.
        assertEquals(1, grpc.stub().withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(one).getOutputsCount());
    }

    @Test
    void streamAnswersEveryRequestAndReportsFailuresInBand() throws Exception {
        ModelSpec cls = SampleModels.spec("ocr-cls");
        List<ModelInferRequest> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(GrpcClient.raw("ocr-cls", SampleInputs.of(cls, 1, 30 + i).values()).setId("s" + i).build());
        }
        requests.add(ModelInferRequest.newBuilder().setModelName("resnet").setId("bad").build());
        List<ModelStreamInferResponse> answers = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<ModelInferRequest> out = grpc.async().withDeadlineAfter(60, TimeUnit.SECONDS)
                .modelStreamInfer(new StreamObserver<>() {
                    @Override
                    public void onNext(ModelStreamInferResponse value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        requests.forEach(out::onNext);
        out.onCompleted();
        done.get(60, TimeUnit.SECONDS);
        assertEquals(4, answers.size());
        for (ModelInferRequest r : requests.subList(0, 3)) {
            ModelStreamInferResponse a = answers.stream().filter(x -> x.getInferResponse().getId().equals(r.getId()))
                    .findFirst().orElseThrow();
            assertEquals("", a.getErrorMessage());
            assertEquals(grpc.stub().modelInfer(r).getRawOutputContents(0), a.getInferResponse()
                    .getRawOutputContents(0));
        }
        assertTrue(answers.stream().anyMatch(a -> a.getErrorMessage().contains("unknown model 'resnet'")), answers
                .toString());
    }

    private static void assertCode(Status.Code code, String phrase, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus()));
        assertTrue(String.valueOf(e.getStatus().getDescription()).contains(phrase), String.valueOf(e.getStatus()));
    }

    private static String describe(JsonNode tensors) {
        List<String> out = new ArrayList<>();
        tensors.forEach(t -> out.add(t.get("name").asText() + ":" + t.get("datatype").asText() + t.get("shape")));
        return String.join(" ", out);
    }

    private static String describe(List<ModelMetadataResponse.TensorMetadata> tensors) {
        List<String> out = new ArrayList<>();
        tensors.forEach(t -> out.add(t.getName() + ":" + t.getDatatype() + t.getShapeList().toString()
                .replace(" ", "")));
        return String.join(" ", out);
    }
}
