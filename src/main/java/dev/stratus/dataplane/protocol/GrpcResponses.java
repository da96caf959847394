package dev.stratus.dataplane.protocol;

import com.google.protobuf.UnsafeByteOperations;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.protocol.grpc.ModelInferResponse;

/**
 * Writes an {@link InferenceResponse} as a gRPC {@code ModelInferResponse}, every output in
 * {@code raw_output_contents} as Triton does. The raw contents wrap the output tensors' buffers: the only copy is
 * the message's serialisation onto the wire.
 */
public final class GrpcResponses {
    private GrpcResponses() {
    }

    public static ModelInferResponse encode(InferenceResponse response) {
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(response.modelName())
                .setModelVersion(response.modelVersion());
        response.id().ifPresent(b::setId);
        for (InferenceResponse.Output output : response.outputs()) {
            Tensor t = output.tensor();
            ModelInferResponse.InferOutputTensor.Builder o = b.addOutputsBuilder().setName(t.name())
                    .setDatatype(t.datatype().name());
            for (long d : t.shape()) {
                o.addShape(d);
            }
            b.addRawOutputContents(UnsafeByteOperations.unsafeWrap(t.data()));
        }
        return b.build();
    }
}
