package dev.stratus.core.model.plan;

import java.util.List;
import java.util.Optional;

/**
 * One model to plan (the planner's view of an InferenceModel).
 *
 * @param name           model name (profiles are looked up under it)
 * @param slo            its own latency objective; may be absent for a model that is only a pipeline stage
 * @param ratePerSecond  expected requests per second sent to the model directly (pipeline traffic is added)
 * @param allowedPools   pools it may run on; empty means every pool
 * @param edgePreference serve at the edge as far as capacity and SLO allow, spilling the rest to cloud
 * @param memoryMb       memory one loaded copy needs in a replica
 * @param maxBatch       largest batch the model accepts (1 = never batched)
 */
public record ModelDemand(
        String name,
        Slo slo,
        double ratePerSecond,
        List<String> allowedPools,
        boolean edgePreference,
        double memoryMb,
        int maxBatch) {

    public ModelDemand {
        name = Checks.name("name", name);
        Checks.nonNegative("ratePerSecond", ratePerSecond);
        allowedPools = allowedPools == null ? List.of() : List.copyOf(allowedPools);
        Checks.positive("memoryMb", memoryMb);
        Checks.atLeast("maxBatch", maxBatch, 1);
    }

    public Optional<Slo> ownSlo() {
        return Optional.ofNullable(slo);
    }

    public boolean allows(Pool pool) {
        return allowedPools.isEmpty() || allowedPools.contains(pool.name());
    }
}
