package dev.stratus.dataplane.grpc;

import dev.stratus.dataplane.protocol.ProtocolException;
import java.nio.ByteBuffer;

/**
 * The one length-prefixed message of a unary gRPC call, assembled from the HTTP/2 data chunks it arrives in into one
 * array of exactly its declared size: each byte is copied once, nothing grows or is copied again when the message is
 * complete. (Vert.x's own gRPC reader appends every chunk to a buffer that doubles as it fills, then copies the
 * message out of it: for a 1.2 MB tensor that was five allocations of humongous arrays and as many copies per
 * request, and a G1 collection every few requests on the one event loop that carries the connection.)
 * <p>Not thread-safe: fed on the call's event loop.
 */
public final class UnaryMessage {
    private static final int PREFIX = 5;

    private final long maxBytes;
    private final byte[] prefix = new byte[PREFIX];
    private int prefixRead;
    private byte[] message;
    private int read;
    private ProtocolException failure;

    public UnaryMessage(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes the next chunk; false once the call is known to be bad (then {@link #failure()} says why, and the rest
     * of the body is to be ignored: nothing more is kept).
     */
    public boolean add(ByteBuffer chunk) {
        while (failure == null && chunk.hasRemaining()) {
            if (message == null) {
                int n = Math.min(PREFIX - prefixRead, chunk.remaining());
                chunk.get(prefix, prefixRead, n);
                prefixRead += n;
                if (prefixRead == PREFIX) {
                    start();
                }
            } else if (read < message.length) {
                int n = Math.min(message.length - read, chunk.remaining());
                chunk.get(message, read, n);
                read += n;
            } else {
                failure = ProtocolException.badRequest("a unary call carries one request message; this one has more");
            }
        }
        return failure == null;
    }

    private void start() {
        if (prefix[0] != 0) {
            // The compressed flag without a grpc-encoding header (compressed calls go to Vert.x's reader, which
            // decodes them): the gRPC specification's answer is INTERNAL; the request is at fault, so 400.
            failure = ProtocolException.badRequest("the request message is flagged compressed but the call has no "
                    + "grpc-encoding");
            return;
        }
        long length = ((prefix[1] & 0xFFL) << 24) | ((prefix[2] & 0xFF) << 16) | ((prefix[3] & 0xFF) << 8)
                | (prefix[4] & 0xFF);
        if (length > maxBytes) {
            failure = new ProtocolException(413, "request message of " + length + " bytes exceeds the limit of "
                    + maxBytes + " bytes");
            return;
        }
        message = new byte[(int) length];
    }

    /** Why the call is bad, once {@link #add} returned false; null before. */
    public ProtocolException failure() {
        return failure;
    }

    /** The whole message, once the body has ended; a ProtocolException when there is none or it is cut short. */
    public byte[] complete() {
        if (failure != null) {
            throw failure;
        }
        if (message == null) {
            throw ProtocolException.badRequest("no request message: the call ended after " + prefixRead + " bytes");
        }
        if (read < message.length) {
            throw ProtocolException.badRequest("request message cut short: " + read + " of " + message.length
                    + " bytes");
        }
        return message;
    }
}
