package dev.stratus.dataplane.gateway;

import java.util.Map;

/** What the gateway reports about each request; the Micrometer implementation lives in {@code metrics}. */
public interface GatewayMetrics {
    GatewayMetrics NONE = new GatewayMetrics() {
        @Override
        public void routes(Map<String, Double> sloMsByModel) {
        }

        @Override
        public void request(String model, String outcome, Served served, SliVerdict sli, long nanos) {
        }

        @Override
        public void retry(String model) {
        }
    };

    /** Outcome labels beyond the worker's statuses. */
    String SHED = "shed";
    String NO_REPLICA = "no_replica";

    /**
     * The models and pipelines the gateway routes now, with their latency SLOs; called on every routing change, so
     * cheap when nothing changed. Per-model meters are made here, once: a model's latency histogram has its SLO as a
     * bucket edge, so it is made again when the SLO changes; a model no longer routed loses its meters.
     */
    void routes(Map<String, Double> sloMsByModel);

    /**
     * @param model   a model, or a pipeline (its end-to-end requests)
     * @param outcome success, invalid, deadline_exceeded, overloaded, unavailable, error (by the answer's status),
     *                or {@link #SHED} / {@link #NO_REPLICA} when the gateway answered itself
     * @param served  where it was served (this site's replicas, the cloud, nowhere)
     * @param sli     how the request counts for the model's SLI (the traffic ledger's verdict; a request an edge
     *                site relayed to the cloud gateway is excluded there: its site counts it, end to end)
     */
    void request(String model, String outcome, Served served, SliVerdict sli, long nanos);

    /** A request resent to another replica after its first one failed without answering. */
    void retry(String model);
}
