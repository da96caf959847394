package dev.stratus.dataplane.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.dataplane.grpc.GrpcEndpoint;
import dev.stratus.dataplane.grpc.InferenceService;
import dev.stratus.dataplane.protocol.EncodedBody;
import dev.stratus.dataplane.protocol.GrpcRequests;
import dev.stratus.dataplane.protocol.GrpcResponses;
import dev.stratus.dataplane.protocol.InferenceRequest;
import dev.stratus.dataplane.protocol.OipRequestEncoder;
import dev.stratus.dataplane.protocol.OipResponseDecoder;
import dev.stratus.dataplane.protocol.ProtocolException;
import dev.stratus.dataplane.protocol.grpc.ModelInferRequest;
import dev.stratus.dataplane.protocol.grpc.ModelInferResponse;
import dev.stratus.dataplane.protocol.grpc.ModelMetadataRequest;
import dev.stratus.dataplane.protocol.grpc.ModelMetadataResponse;
import dev.stratus.dataplane.protocol.grpc.ModelReadyRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's Open Inference Protocol over gRPC. A ModelInfer request goes through the same dispatch as an HTTP
 * one ({@link Gateway#dispatch}: the model's dispatcher, admission control, deadline stamping, retries on a replica
 * that fails, the traffic ledger), sent to the worker's HTTP endpoint as binary tensors: the raw input bytes are
 * passed on as views (no copy), and the worker's binary answer becomes raw_output_contents. Translating, rather than
 * forwarding to workers' gRPC ports, keeps one route per replica (the routing table, the operator's Services and the
 * retry rule know HTTP ports only) and costs one small JSON header each way. Shed requests are RESOURCE_EXHAUSTED, a
 * worker's error status is mapped like the worker's own gRPC API maps it.
 */
public final class GatewayGrpcApi implements InferenceService {
    private final Gateway gateway;
    private final ObjectMapper json = new ObjectMapper();

    public GatewayGrpcApi(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public String serverName() {
        return Gateway.NAME;
    }

    @Override
    public String serverVersion() {
        return gateway.version();
    }

    @Override
    public boolean serverReady() {
        return gateway.ready();
    }

    /** Ready when the model has a ready replica to route to. */
    @Override
    public boolean modelReady(ModelReadyRequest request) {
        return !gateway.route(request.getName()).targets().isEmpty();
    }

    private static String path(String model, String version) {
        return "/v2/models/" + model + (version.isEmpty() ? "" : "/versions/" + version);
    }

    /** The serving worker's metadata, as the HTTP route relays it. */
    @Override
    public CompletionStage<ModelMetadataResponse> modelMetadata(ModelMetadataRequest request, GrpcEndpoint.Call call) {
        ModelRoute route = gateway.route(request.getName());
        ProtocolException denied = gateway.denied(route.model(), call.authorization());
        if (denied != null) {
            throw denied;
        }
        return gateway.fromReplica(route, path(route.model(), request.getVersion())).map(answer -> {
            if (answer.response().statusCode() != 200) {
                throw workerError(answer);
            }
            try {
                JsonNode body = json.readTree(answer.body().getBytes());
                ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder()
                        .setName(body.path("name").asText()).setPlatform(body.path("platform").asText());
                body.path("versions").forEach(v -> b.addVersions(v.asText()));
                body.path("inputs").forEach(t -> b.addInputs(tensor(t)));
                body.path("outputs").forEach(t -> b.addOutputs(tensor(t)));
                return b.build();
            } catch (IOException e) {
                throw new ProtocolException(502, "the worker's metadata is malformed: " + e.getMessage());
            }
        }).toCompletionStage();
    }

    private static ModelMetadataResponse.TensorMetadata tensor(JsonNode t) {
        ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(t.path("name").asText()).setDatatype(t.path("datatype").asText());
        t.path("shape").forEach(d -> b.addShape(d.asLong()));
        return b.build();
    }

    @Override
    public CompletionStage<ModelInferResponse> modelInfer(ModelInferRequest request, GrpcEndpoint.Call call) {
        ModelRoute route = gateway.route(request.getModelName());
        long start = call.receivedAt();
        double clientMs = call.deadlineNanos() == Long.MAX_VALUE ? Double.POSITIVE_INFINITY
                : (call.deadlineNanos() - start) / 1e6;
        EncodedBody body;
        try {
            ProtocolException denied = gateway.denied(route.model(), call.authorization());
            if (denied != null) {
                throw denied;
            }
            InferenceRequest decoded = GrpcRequests.decode(request);
            body = OipRequestEncoder.binary(decoded);
        } catch (ProtocolException e) {
            gateway.refused(route.model(), start, e);
            throw e;
        }
        ByteBuf[] parts = new ByteBuf[1 + body.binaryParts().size()];
        parts[0] = Unpooled.wrappedBuffer(body.json());
        for (int i = 0; i < body.binaryParts().size(); i++) {
            parts[i + 1] = Unpooled.wrappedBuffer(body.binaryParts().get(i));
        }
        Gateway.Inference inference = new Gateway.Inference(route.model(),
                path(route.model(), request.getModelVersion()) + "/infer", Map.of("Content-Type",
                EncodedBody.BINARY_CONTENT_TYPE, EncodedBody.HEADER_LENGTH,
                Integer.toString(body.headerLength().getAsInt())), Buffer.buffer(Unpooled.wrappedBuffer(parts)), start,
                Gateway.deadline(route, start, clientMs));
        return gateway.dispatch(inference).map(this::inferResponse).toCompletionStage();
    }

    private ModelInferResponse inferResponse(Gateway.Answer answer) {
        if (answer.response().statusCode() != 200) {
            throw workerError(answer);
        }
        String header = answer.response().getHeader(EncodedBody.HEADER_LENGTH);
        ByteBuf body = answer.body().getByteBuf();
        int headerLength;
        try {
            headerLength = header == null ? body.readableBytes() : Integer.parseInt(header);
        } catch (NumberFormatException e) {
            throw new ProtocolException(502, "the worker's answer has a malformed " + EncodedBody.HEADER_LENGTH);
        }
        byte[] json = new byte[headerLength];
        body.getBytes(body.readerIndex(), json);
        ByteBuffer binary = body.nioBuffer(body.readerIndex() + headerLength, body.readableBytes() - headerLength);
        return GrpcResponses.encode(OipResponseDecoder.decode(json, 0, headerLength, binary));
    }

    /** A worker's error answer, with its status and its {"error": ...} message. */
    private ProtocolException workerError(Gateway.Answer answer) {
        String message;
        try {
            message = json.readTree(answer.body().getBytes()).path("error").asText(answer.body().toString());
        } catch (IOException e) {
            message = answer.body().toString();
        }
        return new ProtocolException(answer.response().statusCode(), message);
    }
}
