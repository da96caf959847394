package dev.stratus.loadgen;

import java.net.URI;
import java.util.List;

/**
 * A load scenario (see {@link ScenarioLoader} for the YAML form).
 *
 * @param target  default target base URL, or null (then the caller must give one)
 * @param arrival the top-level arrival process shared by weight among models without their own; null if every model
 *                has its own
 */
public record Scenario(String name, double durationSeconds, long seed, URI target, ArrivalSpec arrival,
                       List<ModelSpec> models) {
    public Scenario {
        models = List.copyOf(models);
    }

    public Scenario withDurationSeconds(double seconds) {
        return new Scenario(name, seconds, seed, target, arrival, models);
    }

    public Scenario withSeed(long newSeed) {
        return new Scenario(name, durationSeconds, newSeed, target, arrival, models);
    }

    public Scenario withTarget(URI newTarget) {
        return new Scenario(name, durationSeconds, seed, newTarget, arrival, models);
    }

    /** Every arrival rate multiplied by {@code factor}. */
    public Scenario withRateScale(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("rate scale must be > 0, got " + factor);
        }
        return new Scenario(name, durationSeconds, seed, target, arrival == null ? null : arrival.scaled(factor),
                models.stream().map(m -> m.scaled(factor)).toList());
    }
}
