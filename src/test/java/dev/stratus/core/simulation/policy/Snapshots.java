package dev.stratus.core.simulation.policy;

import dev.stratus.core.simulation.ControlSnapshot;
import dev.stratus.core.simulation.GroupObservation;
import java.util.List;

/** Hand-made control snapshots: one group, a 1 s period. */
final class Snapshots {
    private Snapshots() {
    }

    static ControlSnapshot utilisation(double now, int ready, int starting, double busyFraction) {
        return new ControlSnapshot(now, 1, List.of(new GroupObservation(0, List.of("m"), ready, starting, 0, 0, 0, 0,
                busyFraction * ready, ready, 0, 0, 0)), List.of());
    }

    static ControlSnapshot concurrency(double now, int ready, int starting, double meanInSystem) {
        return new ControlSnapshot(now, 1, List.of(new GroupObservation(0, List.of("m"), ready, starting, 0, 0, 0, 0,
                0, ready, meanInSystem, 0, 0)), List.of());
    }
}
