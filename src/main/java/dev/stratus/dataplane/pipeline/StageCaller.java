package dev.stratus.dataplane.pipeline;

import dev.stratus.core.model.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one request to a pipeline stage's model, the way the gateway sends any request: to the model's replicas
 * with its admission rule, batched there with the model's other requests, with the stage's latency budget as its
 * deadline (never past the pipeline's own). The future fails with a
 * {@link dev.stratus.dataplane.protocol.ProtocolException} carrying the status the stage ended with (429 shed,
 * 504 past its deadline, ...).
 */
@FunctionalInterface
public interface StageCaller {
    /** @return the stage's output tensors by name */
    CompletableFuture<Map<String, Tensor>> call(String stage, List<Tensor> inputs);
}
