package dev.stratus.dataplane.http;

import dev.stratus.dataplane.protocol.ProtocolException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body into one buffer, up to a limit, whatever its content type: inference bodies are JSON
 * or binary and must never go through form decoding. An over-limit body is refused with 413 as soon as its
 * Content-Length (or its running size) shows it, without buffering the rest.
 */
public final class RequestBody {
    private static final long DRAIN_FACTOR = 4;

    private RequestBody() {
    }

    public static void read(RoutingContext ctx, long limit, Handler<Buffer> onBody, Handler<ProtocolException> onError) {
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                onError.handle(ProtocolException.badRequest("Content-Length is not a number: '" + declared + "'"));
                return;
            }
        }
        if (length > limit) {
            refuseOversized(ctx, length, limit, onError);
            return;
        }
        Buffer body = Buffer.buffer((int) Math.max(Math.min(length, limit), 256));
        boolean[] failed = {false};
        request.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                failed[0] = true;
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                onError.handle(tooLarge(body.length() + (long) chunk.length(), limit));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> {
            if (!failed[0]) {
                failed[0] = true;
                onError.handle(ProtocolException.badRequest("could not read the request body: " + e.getMessage()));
            }
        });
        request.endHandler(v -> {
            if (!failed[0]) {
                onBody.handle(body);
            }
        });
        request.resume();
    }

    /**
     * Answers 413 for a body whose declared length is over the limit. A body up to a few times the limit is
     * read and discarded first, so that the client (still sending) can read the answer; a larger one is cut off
     * by closing the connection after the answer.
     */
    private static void refuseOversized(RoutingContext ctx, long length, long limit,
            Handler<ProtocolException> onError) {
        HttpServerRequest request = ctx.request();
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        if (length > DRAIN_FACTOR * limit) {
            onError.handle(tooLarge(length, limit));
            return;
        }
        request.handler(ignored -> { });
        request.exceptionHandler(ignored -> { });
        request.endHandler(v -> onError.handle(tooLarge(length, limit)));
        request.resume();
    }

    private static ProtocolException tooLarge(long size, long limit) {
        return new ProtocolException(413, "request body of " + (size < 0 ? "unknown size" : size + " bytes")
                + " exceeds the limit of " + limit + " bytes");
    }
}
