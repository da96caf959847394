package dev.stratus.core.model.plan;

/**
 * One way a model is served: {@code replicas} replicas in {@code pool} running batches of up to {@code batch},
 * each batcher waiting at most {@code maxQueueDelayMs} for a batch to fill, fed with {@code ratePerSecond} of the
 * model's load by {@code dispatch}. A co-located tuple names its {@link ColocationGroup} and shares that group's
 * replicas (its {@code replicas} is the group's count, not extra replicas).
 */
public record PlanTuple(
        String pool,
        int batch,
        double maxQueueDelayMs,
        int replicas,
        DispatchPolicy dispatch,
        double ratePerSecond,
        double predictedWorstLatencyMs,
        String colocationGroup) {

    public PlanTuple {
        pool = Checks.name("pool", pool);
        Checks.atLeast("batch", batch, 1);
        Checks.nonNegative("maxQueueDelayMs", maxQueueDelayMs);
        Checks.atLeast("replicas", replicas, 1);
        Checks.present("dispatch", dispatch);
        Checks.nonNegative("ratePerSecond", ratePerSecond);
        Checks.nonNegative("predictedWorstLatencyMs", predictedWorstLatencyMs);
        colocationGroup = colocationGroup == null ? "" : colocationGroup;
    }

    /** True when the tuple runs on a co-location group's shared replicas. */
    public boolean shared() {
        return !colocationGroup.isEmpty();
    }
}
