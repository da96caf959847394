package dev.stratus.dataplane.protocol;

/** How a request ended: the {@code outcome} label of the worker's and the gateway's request counters. */
public enum Outcome {
    SUCCESS("success"),
    /** Rejected as malformed or not matching the model (4xx). */
    INVALID("invalid"),
    /** Its deadline passed, or could not be met, before it ran. */
    DEADLINE_EXCEEDED("deadline_exceeded"),
    /** The model's queue was full. */
    OVERLOADED("overloaded"),
    /** The model was not ready, or the worker was draining. */
    UNAVAILABLE("unavailable"),
    /** The runtime failed. */
    ERROR("error");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The outcome an HTTP status stands for. */
    public static Outcome ofStatus(int status) {
        if (status < 400) {
            return SUCCESS;
        }
        return switch (status) {
            case 504 -> DEADLINE_EXCEEDED;
            case 429 -> OVERLOADED;
            case 503 -> UNAVAILABLE;
            default -> status < 500 ? INVALID : ERROR;
        };
    }
}
