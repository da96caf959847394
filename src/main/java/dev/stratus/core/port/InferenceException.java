package dev.stratus.core.port;

/** The runtime failed to execute a model (not a caller error: inputs were validated before). */
public class InferenceException extends Exception {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }

    public InferenceException(String message) {
        super(message);
    }
}
