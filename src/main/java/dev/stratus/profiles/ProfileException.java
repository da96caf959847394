package dev.stratus.profiles;

/** A profile file that cannot be read or written; the message names the file and, where known, the field. */
public class ProfileException extends RuntimeException {
    public ProfileException(String message) {
        super(message);
    }

    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
