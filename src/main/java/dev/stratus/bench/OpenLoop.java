package dev.stratus.bench;

import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.protocol.OipBinaryRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small open-loop client for benchmarks and end-to-end tests: requests leave on schedule (a fixed rate per
 * phase) whatever the server does, and each one's latency counts from its scheduled time, so a server that falls
 * behind shows it. Every request sent is accounted for: an answer with its status, or a transport error (0).
 */
public final class OpenLoop implements AutoCloseable {
    /**
     * One answered (or failed) request: when it was due (ms from start), its status (0 = transport error), its
     * latency from when it was due (what a user waiting on schedule sees), and from when it was actually sent (what
     * the server can see: without this client's own lag when it falls behind its schedule).
     */
    public record Result(double dueMs, int status, double latencyMs, double sentToAnswerMs) {
        /** A request sent when it was due. */
        public Result(double dueMs, int status, double latencyMs) {
            this(dueMs, status, latencyMs, latencyMs);
        }
    }

    /** A constant rate for a while. */
    public record Phase(double ratePerSecond, double seconds) {
        public long requests() {
            return Math.round(ratePerSecond * seconds);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(256)
            .setKeepAlive(true).setTcpNoDelay(true));
    private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
    private final AtomicLong sent = new AtomicLong();

    /** Sends the phases' requests to a model's binary inference endpoint; returns once all are answered. */
    public List<Result> run(int port, String model, Collection<Tensor> inputs, List<Phase> phases)
            throws InterruptedException {
        return run(port, model, inputs, phases, java.util.Map.of());
    }

    /** As {@link #run(int, String, Collection, List)}, every request with these extra headers. */
    public List<Result> run(int port, String model, Collection<Tensor> inputs, List<Phase> phases,
            java.util.Map<String, String> headers) throws InterruptedException {
        return run("127.0.0.1", port, model, inputs, phases, headers);
    }

    /** As {@link #run(int, String, Collection, List, java.util.Map)}, to a gateway on another loopback address. */
    public List<Result> run(String host, int port, String model, Collection<Tensor> inputs, List<Phase> phases,
            java.util.Map<String, String> headers) throws InterruptedException {
        OipBinaryRequest request = OipBinaryRequest.of(inputs);
        Buffer body = Buffer.buffer(request.body());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                .setURI("/v2/models/" + model + "/infer").setTimeout(30_000)
                .putHeader(OipBinaryRequest.HEADER_LENGTH, Integer.toString(request.headerLength()))
                .putHeader("Content-Type", OipBinaryRequest.CONTENT_TYPE);
        headers.forEach(options::putHeader);
        long total = phases.stream().mapToLong(Phase::requests).sum();
        CountDownLatch done = new CountDownLatch((int) total);
        long start = System.nanoTime();
        double due = 0;
        for (Phase p : phases) {
            for (long i = 0; i < p.requests(); i++) {
                long dueNanos = start + (long) (due * 1e6);
                long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                double dueMs = due;
                sent.incrementAndGet();
                long sentAt = System.nanoTime();
                http.request(options).compose(req -> req.send(body).compose(resp -> resp.body()
                                .map(b -> resp.statusCode())))
                        .onComplete(ar -> {
                            long now = System.nanoTime();
                            results.add(new Result(dueMs, ar.succeeded() ? ar.result() : 0,
                                    (now - dueNanos) / 1e6, (now - sentAt) / 1e6));
                            done.countDown();
                        });
                due += 1000.0 / p.ratePerSecond();
            }
        }
        done.await(60, TimeUnit.SECONDS);
        return List.copyOf(results);
    }

    public long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        http.close();
        vertx.close();
    }
}
