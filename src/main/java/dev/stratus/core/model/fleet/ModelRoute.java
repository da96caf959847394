package dev.stratus.core.model.fleet;

import java.util.List;

/**
 * How the gateway serves one model: its latency SLO (every request's deadline is at most this), the dispatch
 * mode, and the replicas serving it now (warm-pool standbys are not listed: they take no traffic).
 */
public record ModelRoute(String model, double sloMs, DispatchMode dispatch, List<RouteTarget> targets) {
    public ModelRoute {
        targets = List.copyOf(targets);
        if (!(sloMs > 0)) {
            throw new IllegalArgumentException("model " + model + ": SLO must be > 0 ms");
        }
    }
}
