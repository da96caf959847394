package dev.stratus.control.io;

import java.util.Optional;

/**
 * A resource document that cannot be used; the message names the file, the resource and the field. When one
 * resource is at fault, {@link #kind()} and {@link #resourceName()} say which, so that a caller serving many
 * resources (the operator) can set that one aside and serve the others.
 */
public class ResourceException extends RuntimeException {
    private final String kind;
    private final String resourceName;

    public ResourceException(String message) {
        this(message, null, null);
    }

    public ResourceException(String message, String kind, String resourceName) {
        super(message);
        this.kind = kind;
        this.resourceName = resourceName;
    }

    public Optional<String> kind() {
        return Optional.ofNullable(kind);
    }

    public Optional<String> resourceName() {
        return Optional.ofNullable(resourceName);
    }
}
