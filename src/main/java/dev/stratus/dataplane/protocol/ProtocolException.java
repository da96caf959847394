package dev.stratus.dataplane.protocol;

/**
 * A request the server will not serve, with the HTTP status to answer and a message for the caller. The
 * message goes into the protocol's error body {@code {"error": "..."}}.
 */
public class ProtocolException extends RuntimeException {
    private final int status;

    public ProtocolException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ProtocolException badRequest(String message) {
        return new ProtocolException(400, message);
    }

    public static ProtocolException notFound(String message) {
        return new ProtocolException(404, message);
    }
}
