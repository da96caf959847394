package dev.stratus.simulation.io;

/** A scenario file that cannot be used, with the path of the offending field in the message. */
public class ScenarioException extends RuntimeException {
    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
