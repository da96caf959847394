package dev.stratus.dataplane.protocol;

import com.google.protobuf.ByteString;
import dev.stratus.core.model.DataType;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.protocol.grpc.InferParameter;
import dev.stratus.dataplane.protocol.grpc.InferTensorContents;
import dev.stratus.dataplane.protocol.grpc.ModelInferRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a gRPC {@code ModelInferRequest} into the same {@link InferenceRequest} the HTTP path decodes, under the same
 * input rules ({@link InputTensors}). Inputs come either all in {@code raw_input_contents} (as Triton's clients send
 * them: raw little-endian bytes, in input order; the tensors are views of those bytes, no copy) or each in its typed
 * {@code contents}. Request parameters: Triton's {@code timeout} (microseconds, an int64 parameter).
 */
public final class GrpcRequests {
    private GrpcRequests() {
    }

    public static InferenceRequest decode(ModelInferRequest request) {
        if (request.getInputsCount() == 0) {
            throw ProtocolException.badRequest("request has no 'inputs'");
        }
        InputTensors.checkUnique(request.getInputsList().stream().map(ModelInferRequest.InferInputTensor::getName)
                .toList());
        int raw = request.getRawInputContentsCount();
        if (raw != 0 && raw != request.getInputsCount()) {
            throw ProtocolException.badRequest("raw_input_contents has " + raw + " entries but the request has "
                    + request.getInputsCount() + " inputs; send every input raw, or none");
        }
        List<Tensor> tensors = new ArrayList<>(request.getInputsCount());
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor in = request.getInputs(i);
            String where = "inputs[" + i + "]";
            if (in.getName().isEmpty()) {
                throw ProtocolException.badRequest(where + " has no 'name'");
            }
            if (in.getDatatype().isEmpty()) {
                throw ProtocolException.badRequest("input '" + in.getName() + "' has no 'datatype'");
            }
            DataType type = InputTensors.datatype(in.getName(), in.getDatatype());
            if (type == DataType.BYTES) {
                throw InputTensors.unsupportedBytes(in.getName());
            }
            if (in.getParametersCount() > 0) {
                throw OipRequestDecoder.unsupported(in.getParametersMap().keySet().iterator().next(),
                        "input '" + in.getName() + "'", "none over gRPC");
            }
            long[] shape = new long[in.getShapeCount()];
            for (int d = 0; d < shape.length; d++) {
                InputTensors.checkDim(in.getShape(d), d, where + " ('" + in.getName() + "')", in.getShape(d));
                shape[d] = in.getShape(d);
            }
            if (raw > 0) {
                if (in.hasContents()) {
                    throw ProtocolException.badRequest("input '" + in.getName() + "' has both 'contents' and "
                            + "raw_input_contents");
                }
                ByteString bytes = request.getRawInputContents(i);
                tensors.add(InputTensors.raw(in.getName(), type, shape, bytes.asReadOnlyByteBuffer(),
                        "its raw_input_contents size"));
            } else {
                if (!in.hasContents()) {
                    throw ProtocolException.badRequest("input '" + in.getName() + "' has no 'contents' and the "
                            + "request has no raw_input_contents");
                }
                tensors.add(InputTensors.values(in.getName(), type, shape, values(in.getName(), type,
                        in.getContents()), "contents"));
            }
        }
        List<RequestedOutput> outputs = request.getOutputsList().stream()
                .map(o -> {
                    if (o.getName().isEmpty()) {
                        throw ProtocolException.badRequest("an entry of 'outputs' has no 'name'");
                    }
                    if (o.getParametersCount() > 0) {
                        throw OipRequestDecoder.unsupported(o.getParametersMap().keySet().iterator().next(),
                                "output '" + o.getName() + "'", "none over gRPC");
                    }
                    return new RequestedOutput(o.getName(), Optional.of(true));
                }).toList();
        return new InferenceRequest(request.getId().isEmpty() ? Optional.empty() : Optional.of(request.getId()),
                tensors, outputs, timeout(request.getParametersMap()), true);
    }

    /** Triton's {@code timeout}, the one request parameter served; any other is refused by name, as over REST. */
    private static OptionalLong timeout(Map<String, InferParameter> parameters) {
        for (String name : parameters.keySet()) {
            if (!name.equals("timeout")) {
                throw OipRequestDecoder.unsupported(name, "request", "timeout");
            }
        }
        InferParameter p = parameters.get("timeout");
        if (p == null) {
            return OptionalLong.empty();
        }
        long micros = switch (p.getParameterChoiceCase()) {
            case INT64_PARAM -> p.getInt64Param();
            case UINT64_PARAM -> p.getUint64Param();
            default -> -1;
        };
        if (micros < 0) {
            throw ProtocolException.badRequest("parameter 'timeout' must be a non-negative integer (microseconds)");
        }
        return OptionalLong.of(micros);
    }

    /**
     * The typed contents matching {@code type}: the specification's field for it (INT8/INT16 travel widened in
     * int_contents, UINT8/UINT16 in uint_contents), range-checked when packed.
     */
    private static JsonNumbers values(String input, DataType type, InferTensorContents c) {
        JsonNumbers n = new JsonNumbers();
        switch (type) {
            case BOOL -> c.getBoolContentsList().forEach(n::addBoolean);
            case INT8, INT16, INT32 -> c.getIntContentsList().forEach(v -> n.addInteger(v));
            case INT64 -> c.getInt64ContentsList().forEach(n::addInteger);
            case UINT8, UINT16, UINT32 -> c.getUintContentsList().forEach(v -> n.addInteger(Integer.toUnsignedLong(v)));
            case UINT64 -> c.getUint64ContentsList().forEach(n::addInteger);
            case FP32 -> c.getFp32ContentsList().forEach(v -> n.addReal(v));
            case FP64 -> c.getFp64ContentsList().forEach(n::addReal);
            default -> throw ProtocolException.badRequest("input '" + input + "': datatype " + type
                    + " has no typed contents field; send it in raw_input_contents");
        }
        return n;
    }
}
