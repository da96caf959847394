package dev.stratus.dataplane.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import dev.stratus.dataplane.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A gRPC server on its own port, on the process's own Vert.x (the event loops that serve HTTP, no second server
 * stack): {@code inference.GRPCInferenceService}'s methods, each a function from the request message to a future
 * answer. What it does for every method: parses the message from the received bytes with aliasing (so the
 * {@code bytes} fields, raw tensors above all, are views of them, not copies), reads the call's deadline from
 * {@code grpc-timeout}, answers on the call's event loop, and maps failures to gRPC codes ({@link GrpcErrors}) with
 * the error's message, as the HTTP path maps them to statuses. Plain unary calls (the data path: ModelInfer with
 * megabyte tensors) are read and answered here, with one copy of the message on the way in and none on the way out;
 * streams and compressed calls go through Vert.x's gRPC server.
 */
public final class GrpcEndpoint implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GrpcEndpoint.class);
    public static final String SERVICE = "inference.GRPCInferenceService";

    /**
     * When a call arrived and when it must be answered by (System.nanoTime; Long.MAX_VALUE when unbounded), and its
     * {@code authorization} metadata (null without), which the gateway checks as it checks the HTTP header.
     */
    public record Call(long receivedAt, long deadlineNanos, String authorization) {
    }

    /** One RPC: request message in, answer out (or a failure, a ProtocolException for an expected one). */
    public interface Method<Req> {
        CompletionStage<? extends MessageLite> call(Req request, Call call);
    }

    private record Unary<Req>(Parser<Req> parser, Method<Req> method, boolean streaming,
            Function<Throwable, MessageLite> streamError) {
    }

    private final Map<String, Unary<?>> methods = new HashMap<>();
    private volatile int port;
    private volatile long maxMessageBytes;
    private volatile Vertx vertx;
    private volatile String deployment;

    /** Adds a unary method of {@link #SERVICE}. */
    public <Req> GrpcEndpoint unary(String name, Parser<Req> parser, Method<Req> method) {
        methods.put(SERVICE + "/" + name, new Unary<>(parser, method, false, null));
        return this;
    }

    /**
     * Adds a bidirectional streaming method that answers each request message with one response message, in
     * completion order; a failed request is answered by {@code error}'s message and the stream goes on.
     */
    public <Req> GrpcEndpoint perMessageStream(String name, Parser<Req> parser, Method<Req> method,
            Function<Throwable, MessageLite> error) {
        methods.put(SERVICE + "/" + name, new Unary<>(parser, method, true, error));
        return this;
    }

    /**
     * Listens on {@code host:port} (0 = a free port), one server per event loop (Vert.x spreads connections over
     * them), messages up to {@code maxMessageBytes}.
     */
    public Future<GrpcEndpoint> listen(Vertx vertx, String host, int port, long maxMessageBytes, int eventLoops) {
        this.maxMessageBytes = maxMessageBytes;
        GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxMessageBytes));
        grpc.callHandler(this::dispatch);
        Handler<HttpServerRequest> calls = request -> {
            Unary<?> unary = plainUnary(request);
            if (unary != null) {
                unary(request, unary);
            } else {
                grpc.handle(request);
            }
        };
        // Large tensors: a window of a whole request per stream, so that a 1 MB message is not paced by 64 KB window
        // updates, and frames of up to 1 MB: the gRPC server handles every frame as an event, and 16 KB frames made
        // a 885 KB request several times slower than over HTTP/1.1.
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setInitialSettings(new Http2Settings().setInitialWindowSize(4 << 20).setMaxConcurrentStreams(1024).setMaxFrameSize(1 << 20))
                .setHttp2ConnectionWindowSize(16 << 20);
        // One server per event loop, deployed together so that they share the port (a random one included) and
        // Vert.x spreads the connections over them.
        return vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(options).requestHandler(calls).listen().<Void>map(bound -> {
                    GrpcEndpoint.this.port = bound.actualPort();
                    return null;
                }).onComplete(started);
            }
        }, new DeploymentOptions().setInstances(Math.max(1, eventLoops))).map(id -> {
            this.vertx = vertx;
            this.deployment = id;
            return this;
        });
    }

    /**
     * {@link #listen} on one server per core, waiting until bound: what a role starts. The failure names the port.
     */
    public GrpcEndpoint start(Vertx vertx, String host, int port, long maxMessageBytes) {
        try {
            listen(vertx, host, port, maxMessageBytes, Runtime.getRuntime().availableProcessors())
                    .toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            throw new IllegalStateException("cannot serve gRPC on port " + port + ": " + cause.getMessage(), cause);
        }
        LOG.infof("gRPC (%s) on port %d", SERVICE, this.port);
        return this;
    }

    /** The bound port, once listening. */
    public int port() {
        return port;
    }

    /**
     * The unary method a plain call asks for (HTTP/2, a gRPC content type, no message compression), which this class
     * reads itself ({@link UnaryMessage}: one copy into an array of the message's size); null for anything else
     * (streams, compressed calls, unknown methods, not gRPC at all), which Vert.x's gRPC server handles.
     */
    private Unary<?> plainUnary(HttpServerRequest request) {
        String path = request.path();
        Unary<?> unary = path == null || path.length() < 2 ? null : methods.get(path.substring(1));
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String encoding = request.getHeader("grpc-encoding");
        boolean plain = unary != null && !unary.streaming() && request.version() == HttpVersion.HTTP_2
                && request.method() == HttpMethod.POST && type != null && type.startsWith("application/grpc")
                && !type.startsWith("application/grpc-web") && (encoding == null || encoding.equals("identity"));
        return plain ? unary : null;
    }

    /** A plain unary call: the message read by {@link UnaryMessage}, the answer framed and sent in one buffer. */
    private void unary(HttpServerRequest request, Unary<?> unary) {
        long receivedAt = System.nanoTime();
        HttpServerResponse response = request.response();
        boolean[] answered = {false};
        Handler<ProtocolException> refuse = e -> {
            if (!answered[0]) {
                answered[0] = true;
                answerError(response, e);
            }
        };
        long deadline;
        try {
            deadline = GrpcTimeout.deadline(request.getHeader("grpc-timeout"), receivedAt);
        } catch (ProtocolException e) {
            request.handler(ignored -> { });
            refuse.handle(e);
            return;
        }
        Call call = new Call(receivedAt, deadline, request.getHeader("authorization"));
        Context context = Vertx.currentContext();
        UnaryMessage message = new UnaryMessage(maxMessageBytes);
        request.handler(chunk -> {
            if (!answered[0] && !message.add(chunk.getByteBuf().nioBuffer())) {
                refuse.handle(message.failure());
            }
        });
        request.exceptionHandler(e -> {
            answered[0] = true; // the stream was reset: there is no one to answer
            LOG.debugf("call %s failed: %s", request.path(), e.getMessage());
        });
        request.endHandler(v -> {
            if (answered[0]) {
                return;
            }
            CompletionStage<? extends MessageLite> answer;
            try {
                answer = call(unary, UnsafeByteOperations.unsafeWrap(message.complete()).newCodedInput(), call);
            } catch (ProtocolException e) {
                refuse.handle(e);
                return;
            }
            answer.whenComplete((reply, error) -> context.runOnContext(ignored -> {
                if (error != null) {
                    refuse.handle(ProtocolException.of(error));
                } else if (!answered[0]) {
                    answered[0] = true;
                    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/grpc").putTrailer("grpc-status", "0")
                            .end(framed(reply));
                }
            }));
        });
    }

    /** The answer as one length-prefixed gRPC message, serialised straight into the buffer that is sent. */
    private static Buffer framed(MessageLite message) {
        int size = message.getSerializedSize();
        byte[] frame = new byte[5 + size];
        frame[1] = (byte) (size >>> 24);
        frame[2] = (byte) (size >>> 16);
        frame[3] = (byte) (size >>> 8);
        frame[4] = (byte) size;
        try {
            message.writeTo(CodedOutputStream.newInstance(frame, 5, size));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // an array of the right size cannot overflow
        }
        return Buffer.buffer(Unpooled.wrappedBuffer(frame));
    }

    /** A failed call as gRPC answers one without a message: status and message in the headers (trailers-only). */
    private static void answerError(HttpServerResponse response, ProtocolException e) {
        if (response.ended() || response.headWritten()) {
            LOG.debugf("call already answered: %s", e.getMessage());
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/grpc")
                .putHeader("grpc-status", Integer.toString(GrpcErrors.status(e.status()).code))
                .putHeader("grpc-message", GrpcErrors.headerMessage(e.getMessage())).end();
    }

    private void dispatch(GrpcServerRequest<Buffer, Buffer> request) {
        Unary<?> unary = methods.get(request.fullMethodName());
        GrpcServerResponse<Buffer, Buffer> response = request.response();
        if (unary == null) {
            request.handler(ignored -> { });
            response.status(GrpcStatus.UNIMPLEMENTED).statusMessage("method " + request.fullMethodName()
                    + " is not served here; this server implements " + SERVICE).end();
            return;
        }
        long receivedAt = System.nanoTime();
        long deadline;
        try {
            deadline = GrpcTimeout.deadline(request.headers().get("grpc-timeout"), receivedAt);
        } catch (ProtocolException e) {
            request.handler(ignored -> { });
            fail(response, e);
            return;
        }
        String authorization = request.headers().get("authorization");
        Context context = Vertx.currentContext();
        request.invalidMessageHandler(e -> fail(response, new ProtocolException(413, "request message exceeds the "
                + "limit of " + maxMessageBytes + " bytes")));
        if (unary.streaming()) {
            stream(request, response, unary, deadline, authorization, context);
        } else {
            request.last().onComplete(ar -> {
                if (ar.failed()) {
                    fail(response, new ProtocolException(400, "no request message: " + ar.cause().getMessage()));
                    return;
                }
                call(unary, ar.result(), new Call(receivedAt, deadline, authorization)).whenComplete((answer, error) ->
                        context.runOnContext(v -> {
                            if (error != null) {
                                fail(response, ProtocolException.of(error));
                            } else {
                                response.end(serialize(answer));
                            }
                        }));
            });
        }
    }

    /** Each message is one call; the stream ends (OK) once the client has ended it and every call is answered. */
    private void stream(GrpcServerRequest<Buffer, Buffer> request, GrpcServerResponse<Buffer, Buffer> response,
            Unary<?> unary, long streamDeadline, String authorization, Context context) {
        int[] pending = {0};
        boolean[] ended = {false};
        request.handler(message -> {
            pending[0]++;
            long receivedAt = System.nanoTime();
            call(unary, message, new Call(receivedAt, streamDeadline, authorization)).whenComplete((answer, error) ->
                    context.runOnContext(v -> {
                        response.write(serialize(error == null ? answer : unary.streamError().apply(error)));
                        if (--pending[0] == 0 && ended[0]) {
                            response.end();
                        }
                    }));
        });
        request.endHandler(v -> {
            ended[0] = true;
            if (pending[0] == 0) {
                response.end();
            }
        });
        request.exceptionHandler(e -> LOG.debugf("stream %s failed: %s", request.fullMethodName(), e.getMessage()));
    }

    @SuppressWarnings("unchecked")
    private static <Req> CompletionStage<? extends MessageLite> call(Unary<Req> unary, Buffer payload, Call call) {
        return call(unary, input(payload), call);
    }

    private static <Req> CompletionStage<? extends MessageLite> call(Unary<Req> unary, CodedInputStream payload,
            Call call) {
        try {
            return unary.method().call(parse(unary.parser(), payload), call);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The received message as protobuf input that can alias it: wrapped as a ByteString, the input knows the bytes
     * are not changed underneath, which is when protobuf lets {@code bytes} fields share them (plain
     * {@code CodedInputStream.newInstance(ByteBuffer)} copies every one).
     */
    private static CodedInputStream input(Buffer payload) {
        ByteBuf buf = payload.getByteBuf();
        return buf.nioBufferCount() == 1 ? UnsafeByteOperations.unsafeWrap(buf.nioBuffer()).newCodedInput()
                : CodedInputStream.newInstance(List.of(buf.nioBuffers()));
    }

    /** Parses without copying the message's {@code bytes} fields: they alias the received bytes. */
    static <Req> Req parse(Parser<Req> parser, CodedInputStream in) {
        in.enableAliasing(true);
        try {
            return parser.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw ProtocolException.badRequest("malformed protobuf message: " + e.getMessage());
        }
    }

    private static Buffer serialize(MessageLite message) {
        return Buffer.buffer(Unpooled.wrappedBuffer(message.toByteArray()));
    }

    private static void fail(GrpcServerResponse<Buffer, Buffer> response, ProtocolException e) {
        try {
            response.status(GrpcErrors.status(e.status())).statusMessage(e.getMessage()).end();
        } catch (IllegalStateException alreadyEnded) {
            LOG.debugf("call already ended: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (deployment != null) {
            vertx.undeploy(deployment);
        }
    }
}
