package dev.stratus.loadgen;

import java.util.List;

/**
 * One model of the request mix. A model either takes a {@code weight} share of the scenario's top-level arrival
 * process ({@code arrival == null}) or has its own, independent arrival process.
 *
 * @param sloMs      latency target in ms: an ok response within it counts toward SLO attainment and goodput
 * @param deadlineMs relative deadline sent as {@code Stratus-Deadline-Ms}; 0 = header not sent
 */
public record ModelSpec(String name, double weight, ArrivalSpec arrival, double sloMs, long deadlineMs,
                        List<InputSpec> inputs) {
    public ModelSpec {
        inputs = List.copyOf(inputs);
    }

    ModelSpec scaled(double factor) {
        return arrival == null ? this : new ModelSpec(name, weight, arrival.scaled(factor), sloMs, deadlineMs, inputs);
    }
}
