package dev.stratus.core.simulation;

/**
 * How a replica's batch cap for one model evolves: fixed at the planned batch (Triton, Nexus, Stratus), or adapted
 * after each batch from its measured execution time (Clipper's AIMD). Stateless: the engine keeps each replica's cap.
 */
public interface BatchSizing {

    /** The cap a new replica starts with. */
    int initialCap(int plannedBatch);

    /**
     * The cap after a batch of {@code batchSize} items took {@code execMs}, given the latency budget (SLO minus
     * network, ms); never above {@code plannedBatch}, never below 1.
     */
    int afterBatch(int cap, int batchSize, double execMs, double budgetMs, int plannedBatch);

    BatchSizing FIXED = new BatchSizing() {
        @Override
        public int initialCap(int plannedBatch) {
            return plannedBatch;
        }

        @Override
        public int afterBatch(int cap, int batchSize, double execMs, double budgetMs, int plannedBatch) {
            return cap;
        }
    };
}
