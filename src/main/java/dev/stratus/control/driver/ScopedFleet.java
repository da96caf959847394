package dev.stratus.control.driver;

import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.port.WorkerFleet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A view of a long-lived fleet for one {@link ControlService}: the service's change listener is dropped when the
 * view closes, and closing the view does not stop the fleet. The operator keeps one fleet (its pods) while the
 * control service behind it is replaced as the set of resources comes and goes.
 */
final class ScopedFleet implements WorkerFleet {
    private final WorkerFleet fleet;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    ScopedFleet(WorkerFleet fleet) {
        this.fleet = fleet;
        fleet.onChange(() -> {
            if (!closed) {
                listeners.forEach(Runnable::run);
            }
        });
    }

    @Override
    public void apply(FleetTarget target) {
        if (!closed) {
            fleet.apply(target);
        }
    }

    @Override
    public List<Replica> replicas() {
        return fleet.replicas();
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        closed = true;
        listeners.clear();
    }
}
