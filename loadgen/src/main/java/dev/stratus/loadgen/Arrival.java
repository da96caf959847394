package dev.stratus.loadgen;

/** One scheduled request: its intended send time relative to the start of the run, and the model it goes to. */
public record Arrival(long offsetNanos, int model) {
}
