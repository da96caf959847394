package dev.stratus.bench;

import com.google.protobuf.ByteString;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.protocol.InferenceRequest;
import dev.stratus.dataplane.protocol.OipBinaryRequest;
import dev.stratus.dataplane.protocol.OipRequestEncoder;
import dev.stratus.dataplane.protocol.grpc.GRPCInferenceServiceGrpc;
import dev.stratus.dataplane.protocol.grpc.ModelInferRequest;
import dev.stratus.dataplane.protocol.grpc.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A small Open Inference Protocol client on Vert.x (non-blocking, pooled keep-alive connections) that sends one fixed
 * request, in a closed loop (N in flight) or one at a time, over one {@link Transport}: HTTP with JSON tensors, HTTP
 * with binary tensors, or gRPC with raw_input_contents (as Triton's clients send them).
 */
final class LoadClient implements AutoCloseable {
    record Throughput(double itemsPerSecond, long errors, long items) {
    }

    enum Transport {
        HTTP_JSON("HTTP/JSON"), HTTP_BINARY("HTTP/binary"), GRPC("gRPC");

        final String label;

        Transport(String label) {
            this.label = label;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final Transport transport;
    private final HttpClient http;
    private final ManagedChannel grpc;
    private final GRPCInferenceServiceGrpc.GRPCInferenceServiceStub grpcStub;
    private final ModelInferRequest grpcRequest;
    private final RequestOptions target;
    private final Buffer body;
    private final String headerLength;

    /** HTTP with binary tensors to the worker (or gateway) on {@code port}. */
    LoadClient(int port, ModelSpec spec, Map<String, Tensor> inputs) {
        this(Transport.HTTP_BINARY, port, spec, inputs);
    }

    /** {@code port}: the HTTP port, or the gRPC port for {@link Transport#GRPC}. */
    LoadClient(Transport transport, int port, ModelSpec spec, Map<String, Tensor> inputs) {
        this.transport = transport;
        this.http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(256).setKeepAlive(true)
                .setTcpNoDelay(true));
        // grpc-java's own client (one HTTP/2 connection carries every call, as with Triton's clients): the
        // reference implementation, independent of the server's.
        this.grpc = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(256 << 20).build();
        this.grpcStub = GRPCInferenceServiceGrpc.newStub(grpc);
        this.target = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/v2/models/" + spec.name() + "/infer");
        InferenceRequest request = new InferenceRequest(Optional.empty(), List.copyOf(inputs.values()), List.of(),
                OptionalLong.empty(), transport != Transport.HTTP_JSON);
        switch (transport) {
            case GRPC -> {
                ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(spec.name());
                for (Tensor t : inputs.values()) {
                    ModelInferRequest.InferInputTensor.Builder in = b.addInputsBuilder().setName(t.name())
                            .setDatatype(t.datatype().name());
                    for (long d : t.shape()) {
                        in.addShape(d);
                    }
                    b.addRawInputContents(ByteString.copyFrom(t.data()));
                }
                this.grpcRequest = b.build();
                this.body = null;
                this.headerLength = null;
            }
            case HTTP_JSON -> {
                this.grpcRequest = null;
                this.body = Buffer.buffer(OipRequestEncoder.json(request).json());
                this.headerLength = null;
            }
            default -> {
                this.grpcRequest = null;
                OipBinaryRequest binary = OipBinaryRequest.of(inputs.values());
                this.body = Buffer.buffer(binary.body());
                this.headerLength = Integer.toString(binary.headerLength());
            }
        }
    }

    /** One request; succeeds with its status (gRPC: 200 for OK, else 500). */
    private Future<Integer> send() {
        if (transport == Transport.GRPC) {
            Promise<Integer> answered = Promise.promise();
            grpcStub.modelInfer(grpcRequest, new StreamObserver<>() {
                @Override
                public void onNext(ModelInferResponse value) {
                }

                @Override
                public void onError(Throwable t) {
                    answered.tryComplete(500);
                }

                @Override
                public void onCompleted() {
                    answered.tryComplete(200);
                }
            });
            return answered.future();
        }
        return http.request(target).compose(req -> {
            if (headerLength != null) {
                req.putHeader("Inference-Header-Content-Length", headerLength)
                        .putHeader("Content-Type", "application/octet-stream");
            } else {
                req.putHeader("Content-Type", "application/json");
            }
            return req.send(body);
        }).compose(resp -> resp.body().map(ignored -> resp.statusCode()));
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
        return new Throughput(ok.get() / seconds, errors.get(), ok.get());
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
        if (transport != Transport.HTTP_BINARY) {
            return sequentialAsync(n, warmup);
        }
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

    /** One request at a time through this client's own transport (gRPC: one kept HTTP/2 connection). */
    private Histogram sequentialAsync(int n, int warmup) throws Exception {
        Histogram h = new Histogram(3);
        for (int i = 0; i < warmup + n; i++) {
            long t = System.nanoTime();
            int status = send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
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
        grpc.shutdownNow();
        http.close();
        vertx.close();
    }
}
