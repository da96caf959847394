package dev.stratus.loadgen;

/** How a request ended; every sent request ends in exactly one of these. */
public enum Outcome {
    /** 2xx. */
    OK,
    /** 429 or 503: the server refused the work to protect its latency (load shedding, overload). */
    SHED,
    /** 504: the server gave up at the request's deadline. */
    DEADLINE,
    /** Any other status, a transport failure, or no response before the drain timeout. */
    ERROR;

    public static Outcome of(int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        return switch (status) {
            case 429, 503 -> SHED;
            case 504 -> DEADLINE;
            default -> ERROR;
        };
    }
}
