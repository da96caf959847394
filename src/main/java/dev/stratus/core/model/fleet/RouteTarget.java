package dev.stratus.core.model.fleet;

/**
 * One serving replica of a model as the gateway sees it: where it answers, the batch size it was planned for,
 * how long one batch of that size takes there (milliseconds): on average, and conservatively (a high
 * percentile), for admission decisions; and the edge site its pool is at ({@link #CLOUD} for every pool that is
 * not at an edge site: the cloud gateway routes to those).
 */
public record RouteTarget(String replicaId, String host, int port, int batch, double meanBatchMs,
        double batchLatencyMs, String site) {
    /** The site of replicas in pools that are not at an edge site: the one the cloud gateway serves. */
    public static final String CLOUD = "";

    public RouteTarget {
        if (batch < 1 || !(meanBatchMs > 0) || batchLatencyMs < meanBatchMs) {
            throw new IllegalArgumentException("replica " + replicaId + ": batch must be >= 1 and 0 < mean latency "
                    + "<= conservative latency");
        }
        site = site == null ? CLOUD : site;
    }

    /** A replica the cloud gateway serves. */
    public RouteTarget(String replicaId, String host, int port, int batch, double meanBatchMs, double batchLatencyMs) {
        this(replicaId, host, port, batch, meanBatchMs, batchLatencyMs, CLOUD);
    }
}
