package dev.stratus.core.port;

import dev.stratus.core.model.fleet.FleetTarget;
import dev.stratus.core.model.fleet.GroupStatus;
import dev.stratus.core.model.fleet.Replica;
import java.util.List;

/**
 * Where replicas run: local processes or Kubernetes pods. The control loop states the fleet it wants; the
 * backend starts, promotes, drains and restarts replicas to converge, and says when anything changed.
 */
public interface WorkerFleet extends AutoCloseable {

    /** The fleet to converge to, replacing the previous target. Returns at once. */
    void apply(FleetTarget target);

    /** Every replica now, in a stable order. */
    List<Replica> replicas();

    /** Every group the backend runs, with its health (a group whose workers keep crashing is degraded). */
    default List<GroupStatus> groups() {
        return List.of();
    }

    /** Called (on a backend thread) whenever a replica changes state. */
    void onChange(Runnable listener);

    /** Drains and stops everything. */
    @Override
    void close();
}
