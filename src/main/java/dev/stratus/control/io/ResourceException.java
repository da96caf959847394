package dev.stratus.control.io;

/** A resource document that cannot be used; the message names the file, the resource and the field. */
public class ResourceException extends RuntimeException {
    public ResourceException(String message) {
        super(message);
    }
}
