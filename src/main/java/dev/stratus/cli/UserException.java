package dev.stratus.cli;

/** A failure caused by the user's input or environment, reported as one line and exit status 1. */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }
}
