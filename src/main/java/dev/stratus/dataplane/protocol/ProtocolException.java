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

    /**
     * The protocol error a failure stands for: itself (unwrapped from a future's CompletionException), or 500 for
     * anything unexpected. Every transport answers through this, so a failure gets the same status on each.
     */
    public static ProtocolException of(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause instanceof ProtocolException p ? p : new ProtocolException(500, "internal error: " + cause);
    }
}
