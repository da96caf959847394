package dev.stratus.core.model.fleet;

import java.util.List;

/**
 * One worker group as the backend sees it: how many replicas it wants and has in each state, and whether it is
 * healthy. A group is {@link Health#DEGRADED} while its workers keep crashing (see the restart back-off); the
 * message then says how often, the last exit and when the next replacement starts.
 *
 * @param crashesInARow   crashes of the group's workers in the current row (0 when none)
 * @param nextStartMillis when the back-off lets the next replacement start (epoch ms); 0 when nothing waits
 */
public record GroupStatus(String groupId, List<String> models, Health health, int targetServing,
        int targetStandby, int serving, int standby, int starting, int crashesInARow, long nextStartMillis,
        String message) {

    public enum Health {
        HEALTHY,
        DEGRADED
    }

    public GroupStatus {
        models = List.copyOf(models);
    }
}
