package dev.stratus.loadgen;

import java.net.URI;
import java.time.Duration;

/**
 * How to run a scenario, apart from the scenario itself.
 *
 * @param target         base URL (e.g. http://127.0.0.1:8080); null = the scenario's target
 * @param drainTimeout   after the last scheduled send, how long to wait for responses still in flight; those
 *                       still missing then are counted as errors
 * @param requestTimeout per-request HTTP timeout (a timed-out request is an error)
 * @param connectTimeout TCP connect timeout
 */
public record RunOptions(URI target, Duration drainTimeout, Duration requestTimeout, Duration connectTimeout) {

    public static RunOptions defaults() {
        return new RunOptions(null, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(5));
    }

    public RunOptions withTarget(URI newTarget) {
        return new RunOptions(newTarget, drainTimeout, requestTimeout, connectTimeout);
    }

    public RunOptions withDrainTimeout(Duration d) {
        return new RunOptions(target, d, requestTimeout, connectTimeout);
    }

    public RunOptions withRequestTimeout(Duration d) {
        return new RunOptions(target, drainTimeout, d, connectTimeout);
    }
}
