package dev.stratus.core.model;

import java.util.List;
import java.util.Optional;

/** The inputs and outputs a loaded model declares (read from the runtime, not from the catalog). */
public record ModelSignature(List<TensorSignature> inputs, List<TensorSignature> outputs) {
    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<TensorSignature> input(String name) {
        return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public Optional<TensorSignature> output(String name) {
        return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
