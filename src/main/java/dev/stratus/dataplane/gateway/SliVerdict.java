package dev.stratus.dataplane.gateway;

import dev.stratus.dataplane.protocol.Outcome;

/**
 * How one request counts for its model's SLI: the one rule behind the control loop's attainment (the traffic
 * ledger) and the Prometheus SLI counters, so that the two can never disagree.
 *
 * <p>Good: answered successfully within the model's SLO. Bad: answered late, shed, refused for want of a replica,
 * past its deadline, or failed. Excluded: the client's own errors (malformed input, an unknown tensor, a body too
 * large: 4xx other than 429), which say nothing about the service and would let one client burn the error budget.
 */
public enum SliVerdict {
    GOOD,
    BAD,
    EXCLUDED;

    /**
     * @param status the HTTP status the client got
     * @param nanos  receipt at the gateway to the answer
     * @param sloMs  the model's latency SLO
     */
    public static SliVerdict of(int status, long nanos, double sloMs) {
        Outcome outcome = Outcome.ofStatus(status);
        if (outcome == Outcome.INVALID) {
            return EXCLUDED;
        }
        return outcome == Outcome.SUCCESS && nanos <= sloMs * 1e6 ? GOOD : BAD;
    }

    /** Whether the request is part of the SLI's total. */
    public boolean counted() {
        return this != EXCLUDED;
    }
}
