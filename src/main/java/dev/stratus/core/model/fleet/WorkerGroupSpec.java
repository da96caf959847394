package dev.stratus.core.model.fleet;

import java.util.List;
import java.util.Map;

/**
 * How every replica of one group is configured: the models it loads together (a co-location group has several),
 * the batch size and max queue delay per model, and ONNX Runtime threads. Two groups with equal specs are
 * interchangeable; a changed spec means new replicas.
 */
public record WorkerGroupSpec(String groupId, List<String> models, Map<String, Integer> maxBatch,
        Map<String, Double> maxQueueDelayMs, int threads) {

    public WorkerGroupSpec {
        models = List.copyOf(models);
        maxBatch = Map.copyOf(maxBatch);
        maxQueueDelayMs = Map.copyOf(maxQueueDelayMs);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("group " + groupId + " serves no model");
        }
        for (String m : models) {
            if (!maxBatch.containsKey(m) || !maxQueueDelayMs.containsKey(m)) {
                throw new IllegalArgumentException("group " + groupId + ": batch and delay needed for " + m);
            }
        }
    }
}
