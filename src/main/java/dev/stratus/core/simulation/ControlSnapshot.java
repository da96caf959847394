package dev.stratus.core.simulation;

import java.util.List;

/** Everything a scaling policy observes at one control instant; groups are indexed as in the {@link SimConfig}. */
public record ControlSnapshot(double nowSeconds, double periodSeconds, List<GroupObservation> groups,
        List<ModelObservation> models) {
    public ControlSnapshot {
        groups = List.copyOf(groups);
        models = List.copyOf(models);
    }
}
