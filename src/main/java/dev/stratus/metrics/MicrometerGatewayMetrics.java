package dev.stratus.metrics;

import dev.stratus.dataplane.gateway.GatewayMetrics;
import dev.stratus.dataplane.gateway.Served;
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
 * Gateway metrics in Prometheus form (names in docs/metrics.md): per model (and pipeline), requests by outcome and
 * by where they were served, the SLI counters (requests that count for the SLO, and those answered within it),
 * retries, and the client-side latency histogram whose bucket edges include the model's SLO; every series carries
 * the gateway's site ({@code cloud} for the cloud gateway). Meters are made when a model is routed (again for its
 * histogram when its SLO changes) and removed when it no longer is; the request path only finds them.
 */
public final class MicrometerGatewayMetrics implements GatewayMetrics {
    /** The {@code site} label of the cloud gateway's series. */
    public static final String CLOUD_SITE = "cloud";

    private final MeterRegistry registry;
    private final String site;
    private final List<Served> places;
    private final Map<String, ModelMeters> models = new ConcurrentHashMap<>();

    /** The cloud gateway's metrics. */
    public MicrometerGatewayMetrics(MeterRegistry registry) {
        this(registry, CLOUD_SITE);
    }

    /** @param site the gateway's site, {@link #CLOUD_SITE} for the cloud gateway */
    public MicrometerGatewayMetrics(MeterRegistry registry, String site) {
        this.registry = registry;
        this.site = site;
        // Where this gateway's answers can come from: its own replicas, and at an edge site the cloud too.
        this.places = CLOUD_SITE.equals(site) ? List.of(Served.CLOUD) : List.of(Served.EDGE, Served.CLOUD);
    }

    @Override
    public synchronized void routes(Map<String, Double> sloMsByModel) {
        for (var e : sloMsByModel.entrySet()) {
            ModelMeters m = models.get(e.getKey());
            if (m == null) {
                models.put(e.getKey(), new ModelMeters(registry, e.getKey(), site, places, e.getValue()));
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
    public void request(String model, String outcome, Served served, SliVerdict sli, long nanos) {
        ModelMeters m = models.get(model);
        if (m == null) {
            return; // no longer routed: its series went with it
        }
        m.outcome(registry, outcome, served).increment();
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
        final String site;
        final double sloMs;
        final Map<String, Counter> outcomes;
        final Counter sliTotal;
        final Counter sliGood;
        final Counter retries;
        final Timer duration;

        ModelMeters(MeterRegistry registry, String model, String site, List<Served> places, double sloMs) {
            this(model, site, sloMs, outcomeCounters(registry, model, site, places),
                    Counter.builder("stratus.gateway.sli.requests").description("Requests that count for the model's "
                            + "SLO: every request that ended, except the client's own errors (4xx other than 429)")
                            .tags("model", model, "site", site).register(registry),
                    Counter.builder("stratus.gateway.sli.good.requests").description("Requests answered successfully "
                            + "within the model's latency SLO").tags("model", model, "site", site).register(registry),
                    Counter.builder("stratus.gateway.retries").description("Requests resent after their replica failed")
                            .tags("model", model, "site", site).register(registry),
                    timer(registry, model, site, sloMs));
        }

        private ModelMeters(String model, String site, double sloMs, Map<String, Counter> outcomes, Counter sliTotal,
                Counter sliGood, Counter retries, Timer duration) {
            this.model = model;
            this.site = site;
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
            return new ModelMeters(model, site, nextSloMs, outcomes, sliTotal, sliGood, retries,
                    timer(registry, model, site, nextSloMs));
        }

        Counter outcome(MeterRegistry registry, String outcome, Served served) {
            String key = key(outcome, served);
            Counter c = outcomes.get(key);
            return c != null ? c : outcomes.computeIfAbsent(key, k -> outcomeCounter(registry, model, site, outcome,
                    served));
        }

        private static String key(String outcome, Served served) {
            return outcome + "/" + served.label();
        }

        void remove(MeterRegistry registry) {
            List<Meter> all = new ArrayList<>(outcomes.values());
            all.addAll(List.of(sliTotal, sliGood, retries, duration));
            all.forEach(registry::remove);
        }

        /**
         * The series that exist from the start (at 0, so that a first increase shows in a rate): every outcome an
         * answer from where this gateway serves can have, and the gateway's own refusals; other combinations are
         * made when first seen.
         */
        private static Map<String, Counter> outcomeCounters(MeterRegistry registry, String model, String site,
                List<Served> places) {
            Map<String, Counter> out = new HashMap<>();
            for (Served place : places) {
                for (Outcome o : Outcome.values()) {
                    out.put(key(o.label(), place), outcomeCounter(registry, model, site, o.label(), place));
                }
            }
            for (String own : List.of(SHED, NO_REPLICA)) {
                out.put(key(own, Served.SHED), outcomeCounter(registry, model, site, own, Served.SHED));
            }
            return out;
        }

        private static Counter outcomeCounter(MeterRegistry registry, String model, String site, String outcome,
                Served served) {
            return Counter.builder("stratus.gateway.requests").description("Requests answered by the gateway, by "
                    + "outcome and by where they were served").tags("model", model, "outcome", outcome, "served",
                    served.label(), "site", site).register(registry);
        }

        private static Timer timer(MeterRegistry registry, String model, String site, double sloMs) {
            return LatencyBuckets.timer("stratus.gateway.request.duration", sloMs)
                    .description("Time from receiving a request at the gateway to answering it").tag("model", model)
                    .tag("site", site).register(registry);
        }
    }
}
