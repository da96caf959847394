package dev.stratus.dataplane.worker.runtime;

import dev.stratus.dataplane.protocol.Outcome;

/** What the worker reports about its traffic; implemented over Micrometer in the metrics package. */
public interface WorkerMetrics {
    /** A request finished (any outcome), {@code nanos} from receipt to response. */
    void request(String model, Outcome outcome, long nanos);

    /** A request waited {@code nanos} in its model's queue before its batch started. */
    void queued(String model, long nanos);

    /** A batch of {@code size} items ran for {@code nanos}. */
    void batch(String model, int size, long nanos);

    /** Called once per model name so that gauges (pending requests, state) can read it, over all its versions. */
    void register(ServedModel model);

    WorkerMetrics NONE = new WorkerMetrics() {
        @Override
        public void request(String model, Outcome outcome, long nanos) {
        }

        @Override
        public void queued(String model, long nanos) {
        }

        @Override
        public void batch(String model, int size, long nanos) {
        }

        @Override
        public void register(ServedModel model) {
        }
    };
}
