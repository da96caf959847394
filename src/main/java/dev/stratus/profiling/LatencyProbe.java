package dev.stratus.profiling;

import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.protocol.OipBinaryRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;

/**
 * Sends one request at a time to a worker and times each round trip: the latency a single request of a given
 * batch sees at the worker (decode, batch formation, inference, encode, loopback HTTP), with nothing queued
 * ahead of it. That is what perf_analyzer reports at concurrency 1.
 */
final class LatencyProbe implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpRequest request;
    private final String model;

    LatencyProbe(int port, String model, Collection<Tensor> inputs) {
        this.model = model;
        OipBinaryRequest body = OipBinaryRequest.of(inputs);
        this.request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/" + model
                        + "/infer"))
                .header(OipBinaryRequest.HEADER_LENGTH, Integer.toString(body.headerLength()))
                .header("Content-Type", OipBinaryRequest.CONTENT_TYPE)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.body())).build();
    }

    /** One round trip in milliseconds; a non-200 answer is a failure of the run, with the worker's message. */
    double once() throws IOException, InterruptedException, ProfilingException {
        long t = System.nanoTime();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t) / 1e6;
        if (r.statusCode() != 200) {
            throw new ProfilingException(500, "worker answered " + r.statusCode() + " for model '" + model + "': "
                    + r.body());
        }
        return ms;
    }

    /** Round trips for at least {@code windowMs} and {@code minIterations} calls. */
    double[] window(int windowMs, int minIterations) throws IOException, InterruptedException, ProfilingException {
        double[] samples = new double[Math.max(minIterations, 16)];
        int n = 0;
        long end = System.nanoTime() + windowMs * 1_000_000L;
        while (n < minIterations || System.nanoTime() < end) {
            if (n == samples.length) {
                samples = java.util.Arrays.copyOf(samples, n * 2);
            }
            samples[n++] = once();
        }
        return java.util.Arrays.copyOf(samples, n);
    }

    @Override
    public void close() {
        http.close();
    }
}
