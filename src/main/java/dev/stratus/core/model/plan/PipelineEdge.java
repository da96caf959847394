package dev.stratus.core.model.plan;

/** Data flowing from stage {@code from} to stage {@code to}: each input of {@code from} yields {@code fanOut} requests to {@code to}. */
public record PipelineEdge(String from, String to, double fanOut) {
    public PipelineEdge {
        from = Checks.name("from", from);
        to = Checks.name("to", to);
        Checks.positive("fanOut", fanOut);
        if (from.equals(to)) {
            throw new IllegalArgumentException("to: an edge cannot loop on stage '" + from + "'");
        }
    }
}
