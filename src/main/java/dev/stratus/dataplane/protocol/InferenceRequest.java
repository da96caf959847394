package dev.stratus.dataplane.protocol;

import dev.stratus.core.model.Tensor;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A decoded Open Inference Protocol request.
 *
 * @param timeoutMicros  Triton's {@code timeout} request parameter, a relative deadline in microseconds
 * @param binaryOutputs  the request-level {@code binary_data_output} parameter (default for every output)
 * @param outputs        the outputs asked for; empty means all
 */
public record InferenceRequest(Optional<String> id, List<Tensor> inputs, List<RequestedOutput> outputs,
        OptionalLong timeoutMicros, boolean binaryOutputs) {
    public InferenceRequest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
