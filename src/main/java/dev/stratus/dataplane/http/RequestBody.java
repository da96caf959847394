package dev.stratus.dataplane.http;

import dev.stratus.dataplane.protocol.ProtocolException;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body, up to a limit, whatever its content type: inference bodies are JSON or binary and must
 * never go through form decoding. An over-limit body is refused with 413 as soon as its Content-Length (or its
 * running size) shows it, without buffering the rest. The body is the chunks as they arrived, kept side by side in
 * one composite buffer: nothing is copied to assemble it (a buffer that grew with what arrived copied a 1.2 MB
 * body about twice over, in humongous arrays), and a declared length reserves nothing. Readers take views of it;
 * a region that spans chunks is copied once when read as one {@code ByteBuffer} (the binary tensors of an
 * inference request: {@link InferenceBody}). A body sent with {@code Content-Encoding: gzip} or {@code deflate} is
 * decoded with the limit applied to the decoded size; other codings get 415.
 */
public final class RequestBody {
    private static final long DRAIN_FACTOR = 4;
    /** Compressed bodies above this size are decoded off the event loop. */
    private static final int INLINE_DECODE_LIMIT = 16 * 1024;

    private RequestBody() {
    }

    /** Reads and decodes the body: what the worker serves from. */
    public static void read(RoutingContext ctx, long limit, Handler<Buffer> onBody, Handler<ProtocolException> onError) {
        read(ctx, limit, true, onBody, onError);
    }

    /**
     * Reads the body as sent, still encoded when it was, after checking that its coding is one the workers
     * decode: what the gateway forwards (the worker decodes, and applies its limit to the decoded size).
     */
    public static void readAsSent(RoutingContext ctx, long limit, Handler<Buffer> onBody,
            Handler<ProtocolException> onError) {
        read(ctx, limit, false, onBody, onError);
    }

    private static void read(RoutingContext ctx, long limit, boolean decode, Handler<Buffer> onBody,
            Handler<ProtocolException> onError) {
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
            refuseAfterDraining(ctx, length, limit, tooLarge(length, limit), onError);
            return;
        }
        ContentCoding coding;
        try {
            coding = ContentCoding.ofRequest(request.getHeader(HttpHeaders.CONTENT_ENCODING));
        } catch (ProtocolException e) {
            refuseAfterDraining(ctx, length, limit, e, onError);
            return;
        }
        // Vert.x hands each chunk over as a buffer of its own (copied off the socket's pooled memory), which the
        // composite keeps as it is: no consolidation, however many chunks arrive.
        CompositeByteBuf chunks = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        boolean[] failed = {false};
        request.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            if (chunks.readableBytes() + (long) chunk.length() > limit) {
                failed[0] = true;
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                onError.handle(tooLarge(chunks.readableBytes() + (long) chunk.length(), limit));
                return;
            }
            chunks.addComponent(true, chunk.getByteBuf());
        });
        request.exceptionHandler(e -> {
            if (!failed[0]) {
                failed[0] = true;
                onError.handle(ProtocolException.badRequest("could not read the request body: " + e.getMessage()));
            }
        });
        request.endHandler(v -> {
            if (failed[0]) {
                return;
            }
            Buffer body = Buffer.buffer(chunks);
            if (!decode || coding == ContentCoding.IDENTITY) {
                onBody.handle(body);
            } else if (body.length() <= INLINE_DECODE_LIMIT) {
                decodeInline(body, coding, limit, onBody, onError);
            } else {
                ctx.vertx().<Buffer>executeBlocking(() -> Buffer.buffer(coding.decode(
                        new ByteBufInputStream(body.getByteBuf()), limit)), false)
                        .onSuccess(onBody::handle)
                        .onFailure(e -> onError.handle(e instanceof ProtocolException p ? p
                                : ProtocolException.badRequest("could not decode the request body: " + e)));
            }
        });
        request.resume();
    }

    private static void decodeInline(Buffer body, ContentCoding coding, long limit, Handler<Buffer> onBody,
            Handler<ProtocolException> onError) {
        Buffer plain;
        try {
            plain = Buffer.buffer(coding.decode(new ByteBufInputStream(body.getByteBuf()), limit));
        } catch (ProtocolException e) {
            onError.handle(e);
            return;
        }
        onBody.handle(plain);
    }

    /**
     * Answers {@code error} without keeping the body. A body up to a few times the limit is read and discarded
     * first, so that the client (still sending) can read the answer; a larger one is cut off by closing the
     * connection after the answer.
     */
    private static void refuseAfterDraining(RoutingContext ctx, long length, long limit, ProtocolException error,
            Handler<ProtocolException> onError) {
        HttpServerRequest request = ctx.request();
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        if (length > DRAIN_FACTOR * limit) {
            onError.handle(error);
            return;
        }
        long[] drained = {0};
        boolean[] answered = {false};
        Handler<Void> answer = v -> {
            if (!answered[0]) {
                answered[0] = true;
                onError.handle(error);
            }
        };
        request.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > DRAIN_FACTOR * limit) {
                answer.handle(null); // a chunked body that keeps coming: answer now, the connection closes after
            }
        });
        request.exceptionHandler(ignored -> answer.handle(null));
        request.endHandler(answer);
        request.resume();
    }

    private static ProtocolException tooLarge(long size, long limit) {
        return new ProtocolException(413, "request body of " + (size < 0 ? "unknown size" : size + " bytes")
                + " exceeds the limit of " + limit + " bytes");
    }
}
