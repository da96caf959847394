package dev.stratus.planning.io;

/** A plan request document that cannot be read; the message starts with the field path, e.g. {@code models[2].slo.latencyMs}. */
public class PlanRequestException extends RuntimeException {
    public PlanRequestException(String message) {
        super(message);
    }

    public PlanRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
