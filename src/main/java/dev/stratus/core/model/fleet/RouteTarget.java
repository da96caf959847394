package dev.stratus.core.model.fleet;

/**
 * One serving replica of a model as the gateway sees it: where it answers, the batch size it was planned for,
 * and how long one batch of that size takes there (milliseconds): on average, and conservatively (a high
 * percentile), for admission decisions.
 */
public record RouteTarget(String replicaId, String host, int port, int batch, double meanBatchMs,
        double batchLatencyMs) {
    public RouteTarget {
        if (batch < 1 || !(meanBatchMs > 0) || batchLatencyMs < meanBatchMs) {
            throw new IllegalArgumentException("replica " + replicaId + ": batch must be >= 1 and 0 < mean latency "
                    + "<= conservative latency");
        }
    }
}
