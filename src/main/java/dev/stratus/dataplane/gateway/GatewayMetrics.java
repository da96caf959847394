package dev.stratus.dataplane.gateway;

/** What the gateway reports about each request; the Micrometer implementation lives in {@code metrics}. */
public interface GatewayMetrics {
    GatewayMetrics NONE = new GatewayMetrics() {
        @Override
        public void request(String model, String outcome, long nanos) {
        }

        @Override
        public void retry(String model) {
        }
    };

    /** Outcome labels beyond the worker's statuses. */
    String SHED = "shed";
    String NO_REPLICA = "no_replica";

    /**
     * @param outcome success, invalid, deadline_exceeded, overloaded, unavailable, error (by the answer's status),
     *                or {@link #SHED} / {@link #NO_REPLICA} when the gateway answered itself
     */
    void request(String model, String outcome, long nanos);

    /** A request resent to another replica after its first one failed without answering. */
    void retry(String model);
}
