package dev.stratus.bench;

import dev.stratus.metrics.PrometheusText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Counters read from a worker's Prometheus endpoint, to report what it actually did during a phase: batch
 * sizes formed and time spent executing batches.
 */
record BatchStats(double items, double batches, double computeSeconds) {

    static BatchStats scrape(int port, String model) throws Exception {
        // HTTP/1.1 (no h2c upgrade attempt), and a bound on the wait: a scrape must never stall a benchmark.
        String text = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return new BatchStats(PrometheusText.value(text, "stratus_worker_batch_size_sum", "model", model),
                PrometheusText.value(text, "stratus_worker_batch_size_count", "model", model),
                PrometheusText.value(text, "stratus_worker_compute_duration_seconds_sum", "model", model));
    }

    double meanBatchSince(BatchStats before) {
        double n = batches - before.batches;
        return n == 0 ? 0 : (items - before.items) / n;
    }

    /** Mean execution time of one batch, in milliseconds, since {@code before}. */
    double meanComputeMsSince(BatchStats before) {
        double n = batches - before.batches;
        return n == 0 ? 0 : (computeSeconds - before.computeSeconds) * 1000 / n;
    }
}
