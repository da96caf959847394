package dev.stratus.dataplane.grpc;

import com.google.protobuf.MessageLite;
import dev.stratus.dataplane.protocol.EncodedBody;
import dev.stratus.dataplane.protocol.ProtocolException;
import dev.stratus.dataplane.protocol.grpc.ModelInferRequest;
import dev.stratus.dataplane.protocol.grpc.ModelInferResponse;
import dev.stratus.dataplane.protocol.grpc.ModelMetadataRequest;
import dev.stratus.dataplane.protocol.grpc.ModelMetadataResponse;
import dev.stratus.dataplane.protocol.grpc.ModelReadyRequest;
import dev.stratus.dataplane.protocol.grpc.ModelReadyResponse;
import dev.stratus.dataplane.protocol.grpc.ModelStreamInferResponse;
import dev.stratus.dataplane.protocol.grpc.ServerLiveRequest;
import dev.stratus.dataplane.protocol.grpc.ServerLiveResponse;
import dev.stratus.dataplane.protocol.grpc.ServerMetadataRequest;
import dev.stratus.dataplane.protocol.grpc.ServerMetadataResponse;
import dev.stratus.dataplane.protocol.grpc.ServerReadyRequest;
import dev.stratus.dataplane.protocol.grpc.ServerReadyResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a server of {@code inference.GRPCInferenceService} (the worker, the gateway) decides itself; the RPCs around
 * it are the same for both ({@link #endpoint}): ServerLive, the metadata messages, and ModelStreamInfer as a stream
 * of ModelInfer calls answered in completion order, a failed one in band by its error message.
 */
public interface InferenceService {
    String serverName();

    String serverVersion();

    boolean serverReady();

    /** Whether the model (version; empty = any) can take requests now; NOT_FOUND when it is not served. */
    boolean modelReady(ModelReadyRequest request);

    CompletionStage<ModelMetadataResponse> modelMetadata(ModelMetadataRequest request, GrpcEndpoint.Call call);

    CompletionStage<ModelInferResponse> modelInfer(ModelInferRequest request, GrpcEndpoint.Call call);

    /** Every RPC of the service, on an endpoint to {@link GrpcEndpoint#start}. */
    default GrpcEndpoint endpoint() {
        return new GrpcEndpoint()
                .unary("ServerLive", ServerLiveRequest.parser(),
                        (r, c) -> done(ServerLiveResponse.newBuilder().setLive(true).build()))
                .unary("ServerReady", ServerReadyRequest.parser(),
                        (r, c) -> done(ServerReadyResponse.newBuilder().setReady(serverReady()).build()))
                .unary("ServerMetadata", ServerMetadataRequest.parser(), (r, c) -> done(ServerMetadataResponse
                        .newBuilder().setName(serverName()).setVersion(serverVersion()).addAllExtensions(EncodedBody.EXTENSIONS)
                        .build()))
                .unary("ModelReady", ModelReadyRequest.parser(),
                        (r, c) -> done(ModelReadyResponse.newBuilder().setReady(modelReady(r)).build()))
                .unary("ModelMetadata", ModelMetadataRequest.parser(), this::modelMetadata)
                .unary("ModelInfer", ModelInferRequest.parser(), this::modelInfer)
                .perMessageStream("ModelStreamInfer", ModelInferRequest.parser(),
                        (r, c) -> modelInfer(r, c).thenApply(answer -> ModelStreamInferResponse.newBuilder()
                                .setInferResponse(answer).build()),
                        error -> ModelStreamInferResponse.newBuilder()
                                .setErrorMessage(ProtocolException.of(error).getMessage()).build());
    }

    private static CompletionStage<MessageLite> done(MessageLite message) {
        return CompletableFuture.completedFuture(message);
    }
}
