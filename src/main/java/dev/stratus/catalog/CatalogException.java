package dev.stratus.catalog;

/** A model catalog, cache or fetch problem, with a message meant for the user. */
public class CatalogException extends RuntimeException {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
