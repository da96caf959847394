package dev.stratus.core.simulation;

import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.simulation.arrival.ArrivalProcess;

/**
 * One served model as the simulator sees it: its end-to-end latency SLO (ms, client to client) and the fraction
 * of requests that must meet it, how long a batch takes ({@link ServiceTime}), how long a new replica takes to
 * become ready (cold, and with the optimised-model cache of a pre-warmed start), and its arrivals.
 */
public record SimModel(
        String name,
        double sloMs,
        double targetAttainment,
        ServiceTime serviceTime,
        ColdStart coldStart,
        ColdStart coldStartCached,
        ArrivalProcess arrivals) {

    public SimModel {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("model name must be set");
        }
        if (!(sloMs > 0) || !(targetAttainment > 0) || targetAttainment > 1) {
            throw new IllegalArgumentException("model " + name + ": sloMs must be > 0 and 0 < targetAttainment <= 1");
        }
        if (serviceTime == null || coldStart == null || arrivals == null) {
            throw new IllegalArgumentException("model " + name + ": service time, cold start and arrivals must be set");
        }
        if (coldStartCached == null) {
            coldStartCached = coldStart;
        }
    }

    public int maxBatch() {
        return serviceTime.maxBatch();
    }

    /** Milliseconds from a scale-up decision until the replica serves: cold, or with the cache when pre-warmed. */
    public ColdStart startup(boolean prewarmed) {
        return prewarmed ? coldStartCached : coldStart;
    }
}
