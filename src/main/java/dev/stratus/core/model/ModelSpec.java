package dev.stratus.core.model;

import java.util.List;
import java.util.Optional;

/**
 * A catalog entry: what the model is, where it comes from, and how its tensors batch.
 *
 * @param maxBatchSize the largest batch the model accepts; 1 for models fixed at batch 1 (never batched)
 */
public record ModelSpec(String name, String version, String description, String licence, ModelSource source,
        List<InputSpec> inputs, List<OutputSpec> outputs, int maxBatchSize) {

    public ModelSpec {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("model '" + name + "': maxBatchSize must be >= 1");
        }
    }

    /** The same model from another origin (an InferenceModel's {@code spec.source}). */
    public ModelSpec withSource(ModelSource other) {
        return new ModelSpec(name, version, description, licence, other, inputs, outputs, maxBatchSize);
    }

    public boolean batchable() {
        return maxBatchSize > 1;
    }

    public Optional<InputSpec> input(String inputName) {
        return inputs.stream().filter(i -> i.name().equals(inputName)).findFirst();
    }

    public Optional<OutputSpec> output(String outputName) {
        return outputs.stream().filter(o -> o.name().equals(outputName)).findFirst();
    }
}
