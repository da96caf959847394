package dev.stratus.control.status;

import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.port.Clock;
import dev.stratus.core.port.FleetObserver;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps what the control loop observed of each model over the last status period, so that a status can report
 * traffic over a period longer than one loop tick. A decorator of the loop's {@link FleetObserver}: the loop's
 * samples pass through unchanged.
 */
public final class TrafficWindow implements FleetObserver {
    private final FleetObserver observer;
    private final Clock clock;
    private final long periodMillis;
    private final Map<String, Deque<Timed>> samples = new ConcurrentHashMap<>();

    private record Timed(long atMillis, TrafficSample sample) {
    }

    public TrafficWindow(FleetObserver observer, Clock clock, long periodMillis) {
        this.observer = observer;
        this.clock = clock;
        this.periodMillis = periodMillis;
    }

    @Override
    public TrafficSample sample(String model) {
        TrafficSample s = observer.sample(model);
        long now = clock.millis();
        Deque<Timed> q = samples.computeIfAbsent(model, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(new Timed(now, s));
            while (!q.isEmpty() && q.peekFirst().atMillis() < now - periodMillis) {
                q.removeFirst();
            }
        }
        return s;
    }

    /** The model's traffic over the samples of the last period, merged; empty before the first sample. */
    public Optional<StatusAggregator.Traffic> window(String model) {
        Deque<Timed> q = samples.get(model);
        if (q == null) {
            return Optional.empty();
        }
        synchronized (q) {
            if (q.isEmpty()) {
                return Optional.empty();
            }
            TrafficSample merged = TrafficSample.empty(model);
            for (Timed t : q) {
                merged = merge(merged, t.sample());
            }
            long end = q.peekLast().atMillis();
            double seconds = Math.max(1, end - q.peekFirst().atMillis()) / 1000.0;
            return Optional.of(new StatusAggregator.Traffic(merged, seconds, end));
        }
    }

    /**
     * Two samples (periods, or gateways) as one: counts add up, the p99 is the larger (conservative: the true p99
     * of the union lies between the two), the median is weighted by requests answered, in-flight adds up.
     */
    public static TrafficSample merge(TrafficSample a, TrafficSample b) {
        return a.plus(b);
    }
}
