package dev.stratus.profiling;

/**
 * A profiling run that cannot start or did not finish: unknown model, bad options, model not fetched, a worker
 * that failed to load the model. {@code badRequest} tells the admin API to answer 4xx rather than record a
 * failed job. No profile is written when this is thrown.
 */
public class ProfilingException extends Exception {
    private final int status;

    public ProfilingException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ProfilingException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status an API answers with: 400 bad options, 404 unknown model, 409 not fetched, 500 failed. */
    public int status() {
        return status;
    }
}
