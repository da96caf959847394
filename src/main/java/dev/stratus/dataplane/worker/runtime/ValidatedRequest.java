package dev.stratus.dataplane.worker.runtime;

import dev.stratus.core.model.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A request checked against its model: inputs by name, its size along the batch axis, the key that decides
 * which other requests it may share a batch with, and the outputs to return (with their binary flags).
 */
public record ValidatedRequest(Map<String, Tensor> inputs, int batchCount, String compatibilityKey,
        double costScale, List<String> outputs, List<Boolean> binaryOutputs) {
    public ValidatedRequest {
        inputs = Map.copyOf(inputs);
        outputs = List.copyOf(outputs);
        binaryOutputs = List.copyOf(binaryOutputs);
    }
}
