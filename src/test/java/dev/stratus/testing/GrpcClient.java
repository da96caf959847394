package dev.stratus.testing;

import com.google.protobuf.ByteString;
import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.protocol.grpc.GRPCInferenceServiceGrpc;
import dev.stratus.dataplane.protocol.grpc.InferTensorContents;
import dev.stratus.dataplane.protocol.grpc.ModelInferRequest;
import dev.stratus.dataplane.protocol.grpc.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * A grpc-java client of {@code inference.GRPCInferenceService} (the generated stubs over grpc-java's own Netty
 * transport, independent of the server's implementation), with the request shapes Triton's clients send.
 */
public final class GrpcClient implements AutoCloseable {
    private final ManagedChannel channel;

    public GrpcClient(int port) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
    }

    public GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub() {
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    public GRPCInferenceServiceGrpc.GRPCInferenceServiceStub async() {
        return GRPCInferenceServiceGrpc.newStub(channel);
    }

    /** Every input in raw_input_contents, as tritonclient.grpc sends them. */
    public static ModelInferRequest.Builder raw(String model, Collection<Tensor> inputs) {
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(model);
        for (Tensor t : inputs) {
            describe(b.addInputsBuilder(), t);
            b.addRawInputContents(ByteString.copyFrom(t.data()));
        }
        return b;
    }

    /** Every input in typed contents (FP32 and INT64 here: what the sample models take). */
    public static ModelInferRequest.Builder typed(String model, Collection<Tensor> inputs) {
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(model);
        for (Tensor t : inputs) {
            InferTensorContents.Builder c = describe(b.addInputsBuilder(), t).getContentsBuilder();
            ByteBuffer data = t.data();
            for (long i = 0; i < t.elementCount(); i++) {
                switch (t.datatype()) {
                    case FP32 -> c.addFp32Contents(data.getFloat());
                    case INT64 -> c.addInt64Contents(data.getLong());
                    default -> throw new IllegalArgumentException(t.datatype().toString());
                }
            }
        }
        return b;
    }

    private static ModelInferRequest.InferInputTensor.Builder describe(ModelInferRequest.InferInputTensor.Builder in,
            Tensor t) {
        in.setName(t.name()).setDatatype(t.datatype().name());
        for (long d : t.shape()) {
            in.addShape(d);
        }
        return in;
    }

    /** Output {@code index} of a response as a tensor (its raw bytes, little-endian). */
    public static Tensor output(ModelInferResponse response, int index) {
        ModelInferResponse.InferOutputTensor o = response.getOutputs(index);
        return new Tensor(o.getName(), DataType.fromWireName(o.getDatatype()).orElseThrow(),
                o.getShapeList().stream().mapToLong(Long::longValue).toArray(),
                response.getRawOutputContents(index).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
