package dev.stratus.profiling;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to profile and how.
 *
 * @param batches     batch sizes to measure, or null for the default list clipped to the model's maximum
 * @param threads     ONNX Runtime intra-op threads of the worker (0 = one per core)
 * @param inputShapes shape of one item per input (batch dim 1), replacing the catalog's sample shape
 * @param catalog     a model catalog other than the bundled one
 * @param settings    measurement windows and the stability rule
 */
public record ProfileRequest(String model, List<Integer> batches, int threads, Map<String, long[]> inputShapes,
        Optional<Path> catalog, MeasurementSettings settings) {

    public ProfileRequest {
        batches = batches == null ? null : List.copyOf(batches);
        inputShapes = Map.copyOf(inputShapes);
    }

    public static ProfileRequest of(String model) {
        return new ProfileRequest(model, null, 0, Map.of(), Optional.empty(), MeasurementSettings.DEFAULT);
    }
}
