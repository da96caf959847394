package dev.stratus.core.model.profile;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Measured behaviour of one model on one hardware class: latency per batch size, cold start with and without
 * the optimised-model cache, and the fitted latency model. The planner and the simulator read nothing else.
 */
public record Profile(
        String model,
        Provenance provenance,
        List<BatchMeasurement> batches,
        LatencyFit fit,
        ColdStart coldStart,
        ColdStart coldStartCached) {

    public Profile {
        batches = batches.stream().sorted(Comparator.comparingInt(BatchMeasurement::batch)).toList();
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("profile of " + model + " has no batch measurements");
        }
        for (int i = 1; i < batches.size(); i++) {
            if (batches.get(i).batch() == batches.get(i - 1).batch()) {
                throw new IllegalArgumentException("profile of " + model + " measures batch " + batches.get(i).batch() + " twice");
            }
        }
    }

    public String hardwareId() {
        return provenance.hardwareId();
    }

    public int maxBatch() {
        return batches.get(batches.size() - 1).batch();
    }

    public Optional<BatchMeasurement> measured(int batch) {
        return batches.stream().filter(m -> m.batch() == batch).findFirst();
    }
}
