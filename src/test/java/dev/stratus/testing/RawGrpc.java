package dev.stratus.testing;

import com.google.protobuf.MessageLite;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC call with headers of the test's choosing (Vert.x's gRPC client, raw messages): what grpc-java will not send,
 * such as a grpc-timeout with no client-side timer behind it, or a malformed one.
 */
public final class RawGrpc implements AutoCloseable {
    public record Answer(String status, String message, Buffer body) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final GrpcClient client = GrpcClient.client(vertx);
    private final int port;

    public RawGrpc(int port) {
        this.port = port;
    }

    /** Calls {@code inference.GRPCInferenceService/<method>} with {@code headers} (name, value pairs). */
    public Answer call(String method, MessageLite request, String... headers) throws Exception {
        return client.request(SocketAddress.inetSocketAddress(port, "127.0.0.1")).compose(req -> {
            req.fullMethodName("inference.GRPCInferenceService/" + method);
            for (int i = 0; i < headers.length; i += 2) {
                req.headers().set(headers[i], headers[i + 1]);
            }
            req.end(Buffer.buffer(request.toByteArray()));
            return req.response().compose(resp -> resp.last().map(b -> new Answer(resp.status().name(),
                    resp.statusMessage(), b)).recover(e -> io.vertx.core.Future.succeededFuture(
                    new Answer(resp.status().name(), resp.statusMessage(), null))));
        }).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        vertx.close();
    }
}
