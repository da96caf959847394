package dev.stratus.api;

/** An admin API failure with the status to answer and a message for the client. */
public class ApiException extends Exception {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
