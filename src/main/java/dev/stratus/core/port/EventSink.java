package dev.stratus.core.port;

import dev.stratus.core.autoscaling.ScalingEvent;
import java.util.List;

/**
 * Where the control loop's decisions and the fleet's actions are reported: the admin API's event log, the process
 * log, Kubernetes Events on the model. Implementations must be thread-safe and must not block for long.
 */
@FunctionalInterface
public interface EventSink {
    EventSink NONE = event -> {
    };

    void record(ScalingEvent event);

    /** Every event to each sink, in order. */
    static EventSink all(EventSink... sinks) {
        List<EventSink> list = List.of(sinks);
        return event -> list.forEach(s -> s.record(event));
    }
}
