package dev.stratus.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.Tensor;
import dev.stratus.metrics.PrometheusText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Work queued up on a worker before it is stopped: the requests, and waiting until the worker has taken them. */
public final class QueuedRequests {
    private QueuedRequests() {
    }

    /** {@code n} binary inference requests sent at once, each on its own connection. */
    public static List<CompletableFuture<OipClient.Response>> send(String base, String model, List<Tensor> inputs,
            int n) {
        List<CompletableFuture<OipClient.Response>> inFlight = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inFlight.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return new OipClient(base).inferBinary(model, inputs, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        return inFlight;
    }

    /**
     * Waits until the worker has taken all {@code n} requests (queued, executing or answered), with some still
     * pending, so that a stop lands while work is in flight.
     */
    public static void awaitAccepted(OipClient client, String model, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String metrics = client.get("/q/metrics").text();
            double pending = PrometheusText.value(metrics, "stratus_worker_pending_requests", "model", model);
            double done = PrometheusText.value(metrics, "stratus_worker_requests_total", "model", model,
                    "outcome", "success");
            if (pending + done >= n) {
                assertTrue(pending > 0, "all requests finished before the stop; the test needs slower batches");
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("requests never queued up");
    }
}
