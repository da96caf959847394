package dev.stratus.loadgen;

/** A scenario (or a file it points to) is invalid; {@link #field()} names the offending field, e.g. {@code models[1].arrival.cv}. */
public final class ScenarioException extends RuntimeException {
    private final String field;

    public ScenarioException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
