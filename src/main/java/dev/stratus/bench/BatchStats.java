package dev.stratus.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Counters read from a worker's Prometheus endpoint, to report what it actually did during a phase: batch
 * sizes formed and time spent executing batches.
 */
record BatchStats(double items, double batches, double computeSeconds) {

    static BatchStats scrape(int port, String model) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new BatchStats(value(text, "stratus_worker_batch_size_sum", model),
                value(text, "stratus_worker_batch_size_count", model),
                value(text, "stratus_worker_compute_duration_seconds_sum", model));
    }

    private static double value(String text, String metric, String model) {
        return text.lines().filter(l -> l.startsWith(metric + "{") && l.contains("model=\"" + model + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
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
