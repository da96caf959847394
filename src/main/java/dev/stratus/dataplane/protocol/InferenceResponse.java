package dev.stratus.dataplane.protocol;

import dev.stratus.core.model.Tensor;
import java.util.List;
import java.util.Optional;

/** One output tensor of a response and whether it travels in the binary section. */
public record InferenceResponse(String modelName, String modelVersion, Optional<String> id, List<Output> outputs) {
    public record Output(Tensor tensor, boolean binary) {
    }

    public InferenceResponse {
        outputs = List.copyOf(outputs);
    }
}
