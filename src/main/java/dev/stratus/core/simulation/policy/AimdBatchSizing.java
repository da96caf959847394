package dev.stratus.core.simulation.policy;

import dev.stratus.core.simulation.BatchSizing;

/**
 * Clipper's AIMD batch cap, per replica: starts at 1; after a batch whose execution time stayed within the budget
 * (the SLO minus the network round trip) and that filled the cap, the cap grows by the step (a partial batch says
 * nothing about the cap, so it is left alone); after one over budget the cap shrinks to floor(cap × (1 − backoff)),
 * at least 1. Capped at the planned (largest allowed) batch.
 */
public record AimdBatchSizing(AimdSettings settings) implements BatchSizing {

    @Override
    public int initialCap(int plannedBatch) {
        return 1;
    }

    @Override
    public int afterBatch(int cap, int batchSize, double execMs, double budgetMs, int plannedBatch) {
        if (execMs > budgetMs) {
            return Math.max(1, (int) Math.floor(cap * (1 - settings.backoff())));
        }
        if (batchSize >= cap) {
            return Math.min(plannedBatch, cap + settings.additiveStep());
        }
        return cap;
    }
}
