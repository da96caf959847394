package dev.stratus.metrics;

import dev.stratus.dataplane.gateway.GatewayMetrics;
import dev.stratus.dataplane.gateway.SliVerdict;
import dev.stratus.dataplane.protocol.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Gateway metrics in Prometheus form (names in docs/metrics.md): per model, requests by outcome, the SLI counters
 * (requests that count for the SLO, and those answered within it), retries, and the client-side latency histogram
 * whose bucket edges include the model's SLO. Meters are made when a model is routed (again for its histogram when
 * its SLO changes) and removed when it no longer is; the request path only finds them.
 */
public final class MicrometerGatewayMetrics implements GatewayMetrics {
    private final MeterRegistry registry;
    private final Map<String, ModelMeters> models = new ConcurrentHashMap<>();

    public MicrometerGatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public synchronized void routes(Map<String, Double> sloMsByModel) {
        for (var e : sloMsByModel.entrySet()) {
            ModelMeters m = models.get(e.getKey());
            if (m == null) {
                models.put(e.getKey(), new ModelMeters(registry, e.getKey(), e.getValue()));
            } else if (m.sloMs != e.getValue()) {
                models.put(e.getKey(), m.withSlo(registry, e.getValue()));
            }
        }
        for (String gone : new ArrayList<>(models.keySet())) {
            if (!sloMsByModel.containsKey(gone)) {
                models.remove(gone).remove(registry);
            }
        }
    }

    @Override
    public void request(String model, String outcome, SliVerdict sli, long nanos) {
        ModelMeters m = models.get(model);
        if (m == null) {
            return; // no longer routed: its series went with it
        }
        m.outcome(registry, outcome).increment();
        m.duration.record(nanos, TimeUnit.NANOSECONDS);
        if (sli.counted()) {
            m.sliTotal.increment();
            if (sli == SliVerdict.GOOD) {
                m.sliGood.increment();
            }
        }
    }

    @Override
    public void retry(String model) {
        ModelMeters m = models.get(model);
        if (m != null) {
            m.retries.increment();
        }
    }

    private static final class ModelMeters {
        final String model;
        final double sloMs;
        final Map<String, Counter> outcomes;
        final Counter sliTotal;
        final Counter sliGood;
        final Counter retries;
        final Timer duration;

        ModelMeters(MeterRegistry registry, String model, double sloMs) {
            this(model, sloMs, outcomeCounters(registry, model),
                    Counter.builder("stratus.gateway.sli.requests").description("Requests that count for the model's "
                            + "SLO: every request that ended, except the client's own errors (4xx other than 429)")
                            .tags("model", model).register(registry),
                    Counter.builder("stratus.gateway.sli.good.requests").description("Requests answered successfully "
                            + "within the model's latency SLO").tags("model", model).register(registry),
                    Counter.builder("stratus.gateway.retries").description("Requests resent after their replica failed")
                            .tags("model", model).register(registry),
                    timer(registry, model, sloMs));
        }

        private ModelMeters(String model, double sloMs, Map<String, Counter> outcomes, Counter sliTotal,
                Counter sliGood, Counter retries, Timer duration) {
            this.model = model;
            this.sloMs = sloMs;
            this.outcomes = new ConcurrentHashMap<>(outcomes);
            this.sliTotal = sliTotal;
            this.sliGood = sliGood;
            this.retries = retries;
            this.duration = duration;
        }

        /** The same counters, and a histogram made again with the new SLO among its bucket edges. */
        ModelMeters withSlo(MeterRegistry registry, double nextSloMs) {
            registry.remove(duration);
            return new ModelMeters(model, nextSloMs, outcomes, sliTotal, sliGood, retries,
                    timer(registry, model, nextSloMs));
        }

        Counter outcome(MeterRegistry registry, String outcome) {
            Counter c = outcomes.get(outcome);
            return c != null ? c : outcomes.computeIfAbsent(outcome, o -> outcomeCounter(registry, model, o));
        }

        void remove(MeterRegistry registry) {
            List<Meter> all = new ArrayList<>(outcomes.values());
            all.addAll(List.of(sliTotal, sliGood, retries, duration));
            all.forEach(registry::remove);
        }

        private static Map<String, Counter> outcomeCounters(MeterRegistry registry, String model) {
            Map<String, Counter> out = new HashMap<>();
            for (Outcome o : Outcome.values()) {
                out.put(o.label(), outcomeCounter(registry, model, o.label()));
            }
            for (String own : List.of(SHED, NO_REPLICA)) {
                out.put(own, outcomeCounter(registry, model, own));
            }
            return out;
        }

        private static Counter outcomeCounter(MeterRegistry registry, String model, String outcome) {
            return Counter.builder("stratus.gateway.requests").description("Requests answered by the gateway, by "
                    + "outcome").tags("model", model, "outcome", outcome).register(registry);
        }

        private static Timer timer(MeterRegistry registry, String model, double sloMs) {
            return LatencyBuckets.timer("stratus.gateway.request.duration", sloMs)
                    .description("Time from receiving a request at the gateway to answering it").tag("model", model)
                    .register(registry);
        }
    }
}
