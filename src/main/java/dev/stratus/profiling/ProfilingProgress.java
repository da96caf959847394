package dev.stratus.profiling;

/** Hears how a profiling run advances (the CLI prints it, the admin API keeps it for job queries). */
@FunctionalInterface
public interface ProfilingProgress {
    ProfilingProgress NONE = update -> {
    };

    void update(Update update);

    /**
     * @param phase       what is being done, e.g. "cold start (no optimised-model cache)" or "batch 8"
     * @param fraction    estimated fraction of the whole run done, 0..1
     * @param secondsLeft estimated seconds to the end
     * @param detail      the latest measurement, for people
     */
    record Update(String phase, double fraction, double secondsLeft, String detail) {
    }
}
