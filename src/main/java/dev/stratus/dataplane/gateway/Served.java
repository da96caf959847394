package dev.stratus.dataplane.gateway;

/**
 * Where a request entering a gateway was served: by that site's own replicas ({@link #EDGE} at an edge site's
 * gateway, {@link #CLOUD} at the cloud gateway), forwarded to the cloud from an edge site ({@link #CLOUD}),
 * refused for want of capacity here or in the cloud ({@link #SHED}: 429, or 503 when no replica is ready or the
 * cloud is unreachable), or refused before any dispatch as the client's error ({@link #NONE}).
 */
public enum Served {
    EDGE,
    CLOUD,
    SHED,
    NONE;

    /** The metric label and {@code Stratus-Served-By} value. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Where an answer came from given its status: a shed or unavailable answer was served nowhere. */
    static Served byStatus(Served place, int status) {
        return status == 429 || status == 503 ? SHED : place;
    }
}
