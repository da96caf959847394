package dev.stratus.loadgen;

import java.util.List;

/** Per-second time series of one model (or {@code "all"}). */
public record ModelSeries(String model, List<SecondStats> seconds) {
    public ModelSeries {
        seconds = List.copyOf(seconds);
    }
}
