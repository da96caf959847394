package dev.stratus.metrics;

import dev.stratus.core.autoscaling.ScalingEvent;
import dev.stratus.core.port.EventSink;
import dev.stratus.observability.ControlGauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The control loop in Prometheus form: the {@link ControlGauges} rows as multi-gauges (refreshed every second,
 * so label sets follow models and pools as they come and go), and {@code stratus_scaling_events_total{kind,model}}
 * counted as events are recorded.
 */
public final class ControlLoopMetrics implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlLoopMetrics.class);

    private final MeterRegistry registry;
    private final Map<ControlGauges.Series, MultiGauge> gauges = new EnumMap<>(ControlGauges.Series.class);
    private final Map<List<String>, Counter> events = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("control-metrics").daemon(true).unstarted(r));

    public ControlLoopMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ControlGauges.Series s : ControlGauges.Series.values()) {
            gauges.put(s, MultiGauge.builder(s.meterName()).description(s.description()).register(registry));
        }
    }

    /** Events to {@code inner}, each also counted by kind and model. */
    public EventSink counting(EventSink inner) {
        return event -> {
            inner.record(event);
            count(event);
        };
    }

    private void count(ScalingEvent e) {
        // Events name a group (<models>@<pool>), "fleet" for a whole re-plan, or the subject of a planning failure.
        String model = e.model().contains("@") ? e.model().substring(0, e.model().lastIndexOf('@')) : e.model();
        counter(e.kind(), model).increment();
    }

    /**
     * Makes every kind's counter for these models at 0 before their first event, so that Prometheus sees that event
     * as an increase (a series first scraped at 1 shows none) and alerts on {@code increase()} work from the start.
     */
    public void expect(Collection<String> models) {
        for (String model : models) {
            for (ScalingEvent.Kind kind : ScalingEvent.Kind.values()) {
                counter(kind, model);
            }
        }
    }

    private Counter counter(ScalingEvent.Kind kind, String model) {
        String label = kind.name().toLowerCase(Locale.ROOT);
        return events.computeIfAbsent(List.of(label, model), k -> Counter.builder("stratus.scaling.events")
                .description("Scaling decisions and actions, by kind").tags("kind", label, "model", model)
                .register(registry));
    }

    /** Reads the rows (and the models, for {@link #expect}) every {@code periodMillis} until closed. */
    public void start(Supplier<List<ControlGauges.Row>> rows, Supplier<Collection<String>> models, long periodMillis) {
        refresher.scheduleWithFixedDelay(() -> {
            try {
                expect(models.get());
                refresh(rows.get());
            } catch (RuntimeException e) {
                LOG.warnf(e, "control-loop gauges not refreshed; next period retries");
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Replaces every gauge's rows (series absent from {@code rows} lose theirs). */
    public void refresh(List<ControlGauges.Row> rows) {
        Map<ControlGauges.Series, List<MultiGauge.Row<?>>> bySeries = new EnumMap<>(ControlGauges.Series.class);
        for (ControlGauges.Series s : ControlGauges.Series.values()) {
            bySeries.put(s, new ArrayList<>());
        }
        for (ControlGauges.Row r : rows) {
            Tags tags = Tags.empty();
            for (var l : r.labels().entrySet()) {
                tags = tags.and(l.getKey(), l.getValue());
            }
            bySeries.get(r.series()).add(MultiGauge.Row.of(tags, r.value()));
        }
        bySeries.forEach((s, list) -> gauges.get(s).register(list, true));
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
