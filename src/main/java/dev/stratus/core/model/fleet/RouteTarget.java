package dev.stratus.core.model.fleet;

/**
 * One serving replica of a model as the gateway sees it: where it answers, the batch size it was planned for,
 * and how long one batch of that size takes there (milliseconds, conservative), for admission decisions.
 */
public record RouteTarget(String replicaId, String host, int port, int batch, double batchLatencyMs) {
    public RouteTarget {
        if (batch < 1 || !(batchLatencyMs > 0)) {
            throw new IllegalArgumentException("replica " + replicaId + ": batch must be >= 1 and latency > 0");
        }
    }
}
