package dev.stratus.app;

import dev.stratus.backend.local.LocalWorkerFleet;
import dev.stratus.control.ControlService;
import dev.stratus.control.ServiceSpec;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.port.Clock;
import dev.stratus.core.port.EventSink;
import dev.stratus.core.port.FleetObserver;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.core.slo.SloHistory;
import dev.stratus.metrics.ControlLoopMetrics;
import dev.stratus.observability.ControlGauges;
import dev.stratus.observability.SloObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The control service's observability, wired around the control loop: the SLI history the built-in dashboard reads
 * (fed by the loop's own samples), the control-loop gauges and the scaling-event counter.
 */
@ApplicationScoped
public class Observability {
    /** The dashboard's charts span the last half hour. */
    static final Duration CHART_SPAN = Duration.ofMinutes(30);

    @Inject
    MeterRegistry registry;

    @Inject
    ProfileStore profiles;

    private final SloHistory history = new SloHistory(CHART_SPAN);
    private volatile ControlLoopMetrics metrics;

    public SloHistory history() {
        return history;
    }

    /** The loop's observer, writing what it samples into the history too. */
    public FleetObserver observing(FleetObserver inner, LocalWorkerFleet fleet) {
        return new SloObserver(inner, history, fleet::replicas, Clock.SYSTEM);
    }

    /** Events to {@code inner}, counted for Prometheus (counters of the spec's models start at 0). */
    public synchronized EventSink counting(EventSink inner, ServiceSpec spec) {
        metrics().expect(eventSubjects(spec));
        return metrics().counting(inner);
    }

    /** Starts the control-loop gauges once the loop runs. */
    public void watch(ControlService control, LocalWorkerFleet fleet) {
        metrics().start(() -> ControlGauges.rows(ControlGauges.State.of(control, fleet.replicas()), history,
                profiles, System.currentTimeMillis()), () -> eventSubjects(control.spec()), 1000);
    }

    /** What scaling events name: each model, and the fleet as a whole for re-plans. */
    private static List<String> eventSubjects(ServiceSpec spec) {
        List<String> subjects = new ArrayList<>(spec.request().models().stream().map(ModelDemand::name).toList());
        subjects.add("fleet");
        return subjects;
    }

    private synchronized ControlLoopMetrics metrics() {
        if (metrics == null) {
            metrics = new ControlLoopMetrics(registry);
        }
        return metrics;
    }

    void stop(@Observes ShutdownEvent event) {
        if (metrics != null) {
            metrics.close();
        }
    }
}
