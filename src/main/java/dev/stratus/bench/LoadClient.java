package dev.stratus.bench;

import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.protocol.OipBinaryRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A small Open Inference Protocol client on Vert.x (non-blocking, pooled keep-alive connections) that sends
 * one fixed request with binary tensors, in a closed loop (N in flight) or one at a time.
 */
final class LoadClient implements AutoCloseable {
    record Throughput(double itemsPerSecond, long errors) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http;
    private final RequestOptions target;
    private final Buffer body;
    private final String headerLength;

    LoadClient(int port, ModelSpec spec, Map<String, Tensor> inputs) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(256).setKeepAlive(true)
                .setTcpNoDelay(true));
        this.target = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/v2/models/" + spec.name() + "/infer");
        OipBinaryRequest request = OipBinaryRequest.of(inputs.values());
        this.body = Buffer.buffer(request.body());
        this.headerLength = Integer.toString(request.headerLength());
    }

    private Future<Integer> send() {
        return http.request(target).compose(req -> req.putHeader("Inference-Header-Content-Length", headerLength)
                .putHeader("Content-Type", "application/octet-stream").send(body))
                .compose(resp -> resp.body().map(ignored -> resp.statusCode()));
    }

    /** Keeps {@code inFlight} requests outstanding for {@code duration}; counts completed items. */
    Throughput closedLoop(int inFlight, Duration duration) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicLong active = new AtomicLong(inFlight);
        for (int i = 0; i < inFlight; i++) {
            loop(end, ok, errors, active, done);
        }
        done.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Throughput(ok.get() / seconds, errors.get());
    }

    private void loop(long end, AtomicLong ok, AtomicLong errors, AtomicLong active, CompletableFuture<Void> done) {
        if (System.nanoTime() >= end) {
            if (active.decrementAndGet() == 0) {
                done.complete(null);
            }
            return;
        }
        send().onComplete(r -> {
            if (r.succeeded() && r.result() == 200) {
                ok.incrementAndGet();
            } else {
                errors.incrementAndGet();
            }
            loop(end, ok, errors, active, done);
        });
    }

    /**
     * Sends {@code n} requests one after another on one kept-alive connection (the JDK client, blocking) and
     * records each round trip.
     */
    Histogram sequential(int n) throws Exception {
        return sequential(n, 0);
    }

    /** As {@link #sequential(int)}, after {@code warmup} unrecorded requests on the same connection. */
    Histogram sequential(int n, int warmup) throws Exception {
        Histogram h = new Histogram(3);
        java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        byte[] bytes = body.getBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + target.getPort() + target.getURI()))
                .header("Inference-Header-Content-Length", headerLength)
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        for (int i = 0; i < warmup + n; i++) {
            long t = System.nanoTime();
            int status = jdk.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("worker answered " + status + " at low load");
            }
            if (i >= warmup) {
                h.recordValue(System.nanoTime() - t);
            }
        }
        return h;
    }

    @Override
    public void close() {
        http.close();
        vertx.close();
    }
}
