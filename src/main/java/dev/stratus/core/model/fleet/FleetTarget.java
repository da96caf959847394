package dev.stratus.core.model.fleet;

import java.util.List;

/** The whole fleet the control loop wants; the backend converges to it. Groups absent here are drained. */
public record FleetTarget(List<GroupTarget> groups) {
    public static final FleetTarget EMPTY = new FleetTarget(List.of());

    public FleetTarget {
        groups = List.copyOf(groups);
    }
}
