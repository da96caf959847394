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
import dev.stratus.dataplane.protocol.InferenceResponse;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
        return gateway.fromReplica(route, path(route.model(), request.getVersion())).thenApply(answer -> {
            byte[] bytes = answer.body().getBytes();
            if (answer.status() != 200) {
                throw new ProtocolException(answer.status(), OipResponseDecoder.error(bytes));
            }
            try {
                JsonNode body = json.readTree(bytes);
                ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder()
                        .setName(body.path("name").asText()).setPlatform(body.path("platform").asText());
                body.path("versions").forEach(v -> b.addVersions(v.asText()));
                body.path("inputs").forEach(t -> b.addInputs(tensor(t)));
                body.path("outputs").forEach(t -> b.addOutputs(tensor(t)));
                return b.build();
            } catch (IOException e) {
                throw new ProtocolException(502, "the worker's metadata is malformed: " + e.getMessage());
            }
        });
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
        InferenceRequest decoded;
        try {
            ProtocolException denied = gateway.denied(route.model(), call.authorization());
            if (denied != null) {
                throw denied;
            }
            decoded = GrpcRequests.decode(request);
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
        // The deadline the gateway stamps: the model's SLO, or the call's gRPC deadline when tighter.
        long deadline = start + (long) (Math.min(route.sloMs(), clientMs) * 1e6);
        return gateway.infer(route.model(), path(route.model(), request.getModelVersion()) + "/infer",
                Map.of("Content-Type", EncodedBody.BINARY_CONTENT_TYPE, EncodedBody.HEADER_LENGTH,
                        Integer.toString(body.headerLength().getAsInt())),
                Buffer.buffer(Unpooled.wrappedBuffer(parts)), start, deadline)
                .thenApply(answer -> inferResponse(route.model(), request, answer));
    }

    /**
     * The worker's binary answer as raw_output_contents. The model version echoed is the one asked for (the
     * worker serves one version per model), the id the request's.
     */
    private static ModelInferResponse inferResponse(String model, ModelInferRequest request, Gateway.Answered answer) {
        byte[] bytes = answer.body().getBytes();
        if (answer.status() != 200) {
            throw new ProtocolException(answer.status(), OipResponseDecoder.error(bytes));
        }
        String header = answer.headers().get(EncodedBody.HEADER_LENGTH);
        OptionalInt headerLength;
        try {
            headerLength = header == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(header));
        } catch (NumberFormatException e) {
            throw new ProtocolException(502, "the worker's answer has a malformed " + EncodedBody.HEADER_LENGTH);
        }
        List<InferenceResponse.Output> outputs = OipResponseDecoder.outputs(bytes, headerLength).values().stream()
                .map(t -> new InferenceResponse.Output(t, true)).toList();
        return GrpcResponses.encode(new InferenceResponse(model, request.getModelVersion(),
                request.getId().isEmpty() ? Optional.empty() : Optional.of(request.getId()), outputs));
    }
}
