package dev.stratus.dataplane.worker.grpc;

import dev.stratus.core.model.TensorSignature;
import dev.stratus.dataplane.grpc.GrpcEndpoint;
import dev.stratus.dataplane.grpc.InferenceService;
import dev.stratus.dataplane.protocol.GrpcRequests;
import dev.stratus.dataplane.protocol.GrpcResponses;
import dev.stratus.dataplane.protocol.ProtocolException;
import dev.stratus.dataplane.protocol.grpc.ModelInferRequest;
import dev.stratus.dataplane.protocol.grpc.ModelInferResponse;
import dev.stratus.dataplane.protocol.grpc.ModelMetadataRequest;
import dev.stratus.dataplane.protocol.grpc.ModelMetadataResponse;
import dev.stratus.dataplane.protocol.grpc.ModelReadyRequest;
import dev.stratus.dataplane.worker.runtime.ModelRuntime;
import dev.stratus.dataplane.worker.runtime.WorkerInference;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import dev.stratus.dataplane.worker.http.EventLoopHandoff;

/**
 * The worker's Open Inference Protocol over gRPC ({@code inference.GRPCInferenceService}): the same answers as its
 * REST API, through the same request path ({@link WorkerInference}); this class only maps messages. Model readiness
 * is a {@code ready} flag here (REST answers it with a status), and an unknown model is NOT_FOUND.
 */
public final class WorkerGrpcApi implements InferenceService {
    private final WorkerInference inference;
    private final String serverVersion;

    public WorkerGrpcApi(WorkerInference inference, String serverVersion) {
        this.inference = inference;
        this.serverVersion = serverVersion;
    }

    @Override
    public String serverName() {
        return WorkerInference.SERVER_NAME;
    }

    @Override
    public String serverVersion() {
        return serverVersion;
    }

    @Override
    public boolean serverReady() {
        return inference.runtime().ready();
    }

    @Override
    public boolean modelReady(ModelReadyRequest request) {
        return inference.ready(inference.model(request.getName(), request.getVersion()));
    }

    @Override
    public CompletionStage<ModelMetadataResponse> modelMetadata(ModelMetadataRequest request, GrpcEndpoint.Call call) {
        return CompletableFuture.completedFuture(metadata(inference.model(request.getName(), request.getVersion())));
    }

    private ModelMetadataResponse metadata(ModelRuntime m) {
        WorkerInference.Metadata meta = inference.metadata(m);
        return ModelMetadataResponse.newBuilder().setName(meta.name()).addAllVersions(meta.versions())
                .setPlatform(WorkerInference.PLATFORM).addAllInputs(describe(meta.inputs()))
                .addAllOutputs(describe(meta.outputs())).build();
    }

    private static List<ModelMetadataResponse.TensorMetadata> describe(List<TensorSignature> tensors) {
        return tensors.stream().map(t -> {
            ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder()
                    .setName(t.name()).setDatatype(t.datatype().name());
            for (long d : t.shape()) {
                b.addShape(d);
            }
            return b.build();
        }).toList();
    }

    @Override
    public CompletionStage<ModelInferResponse> modelInfer(ModelInferRequest request, GrpcEndpoint.Call call) {
        inference.started();
        ModelRuntime m = null;
        try {
            m = inference.admit(request.getModelName(), request.getModelVersion());
            String model = m.name();
            return inference.infer(m, GrpcRequests.decode(request), call.receivedAt(), call.deadlineNanos(),
                    EventLoopHandoff.current())
                    .thenApply(GrpcResponses::encode)
                    .whenComplete((answer, error) -> {
                        inference.finished(model, error, call.receivedAt());
                        inference.ended();
                    });
        } catch (RuntimeException e) {
            if (m != null || !(e instanceof ProtocolException p && p.status() == 404)) {
                inference.finished(m != null ? m.name() : request.getModelName(), e, call.receivedAt());
            }
            inference.ended();
            return CompletableFuture.failedFuture(e);
        }
    }
}
