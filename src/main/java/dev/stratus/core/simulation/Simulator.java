package dev.stratus.core.simulation;

/**
 * Discrete-event simulation of a deployment: arrivals → gateway dispatch → per-replica queues → dynamic batcher →
 * execution drawn from the profile → completion or drop, with replica cold starts when a policy scales. The same
 * seed gives the same arrivals to every policy, and the same run every time. See {@code docs/simulation.md}.
 */
public final class Simulator {

    /** Told about progress about once per simulated control period (cheap to ignore). */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(double simulatedSeconds, double durationSeconds, long requests);

        ProgressListener NONE = (t, d, r) -> {
        };
    }

    private Simulator() {
    }

    public static SimResult run(String label, SimConfig config, ScalingPolicy policy, long seed) {
        return run(label, config, policy, seed, ProgressListener.NONE);
    }

    public static SimResult run(String label, SimConfig config, ScalingPolicy policy, long seed,
            ProgressListener progress) {
        return run(label, config, policy, seed, progress, SimTrace.NONE);
    }

    /** As {@link #run(String, SimConfig, ScalingPolicy, long, ProgressListener)}, telling {@code trace} every batch. */
    public static SimResult run(String label, SimConfig config, ScalingPolicy policy, long seed,
            ProgressListener progress, SimTrace trace) {
        return new SimulationRun(label, config, policy, seed, progress, trace).run();
    }
}
