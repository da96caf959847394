package dev.stratus.dataplane.gateway;

import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.port.FleetObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Per model (and pipeline), what the gateway did with each request (admitted, shed, answered within the SLO or
 * not, and where it was served) and the latency of its successful answers; {@link #sample} hands the control loop
 * what changed since its last look, {@link #served} the running totals by where requests were served. Recording is
 * lock-free on the request path; sampling takes a per-model lock.
 */
final class TrafficLedger implements FleetObserver {
    /** Latencies are recorded in microseconds, up to an hour, with three significant digits. */
    private static final long MAX_MICROS = 3_600_000_000L;

    private final Map<String, ModelTraffic> models = new ConcurrentHashMap<>();
    private final ToIntFunction<String> inFlight;

    /** @param inFlight requests of a model forwarded and not yet answered, now */
    TrafficLedger(ToIntFunction<String> inFlight) {
        this.inFlight = inFlight;
    }

    void admitted(String model) {
        of(model).admitted.increment();
    }

    void shed(String model) {
        of(model).shed.increment();
    }

    /**
     * A request ended after {@code nanos}, classified for the SLI by {@link SliVerdict}; {@code success} says whether
     * it was answered successfully (only those latencies are recorded).
     */
    void ended(String model, SliVerdict verdict, boolean success, long nanos) {
        ended(model, verdict, success, nanos, Served.CLOUD);
    }

    /** As {@link #ended(String, SliVerdict, boolean, long)}, served at {@code where}. */
    void ended(String model, SliVerdict verdict, boolean success, long nanos, Served where) {
        if (!verdict.counted()) {
            return; // the client's error: not part of the SLI
        }
        ModelTraffic t = of(model);
        t.servedTotal[where.ordinal()].increment();
        if (verdict == SliVerdict.GOOD) {
            t.servedGood[where.ordinal()].increment();
        }
        t.total.increment();
        if (success) {
            t.latency.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
        }
        if (verdict == SliVerdict.GOOD) {
            t.good.increment();
        }
    }

    /** Requests of a model forwarded to a replica since start (retries not counted twice). */
    long admittedTotal(String model) {
        ModelTraffic t = models.get(model);
        return t == null ? 0 : t.admitted.sum();
    }

    /** Requests of a model turned away since start. */
    long shedTotal(String model) {
        ModelTraffic t = models.get(model);
        return t == null ? 0 : t.shed.sum();
    }

    /** Running totals since start of a model's requests (client errors excepted) by where they were served. */
    ServedCounts served(String model) {
        ModelTraffic t = models.get(model);
        long[] total = new long[Served.values().length];
        long[] good = new long[total.length];
        if (t != null) {
            for (int i = 0; i < total.length; i++) {
                total[i] = t.servedTotal[i].sum();
                good[i] = t.servedGood[i].sum();
            }
        }
        return new ServedCounts(model, total, good);
    }

    @Override
    public TrafficSample sample(String model) {
        ModelTraffic t = models.get(model);
        if (t == null) {
            return TrafficSample.empty(model);
        }
        synchronized (t) {
            long admitted = t.admitted.sum();
            long shed = t.shed.sum();
            long good = t.good.sum();
            long total = t.total.sum();
            t.interval = t.latency.getIntervalHistogram(t.interval);
            Histogram h = t.interval;
            boolean any = h.getTotalCount() > 0;
            TrafficSample s = new TrafficSample(model, admitted - t.lastAdmitted, shed - t.lastShed,
                    // good is read after total's increments may have landed: never report more good than total
                    Math.min(good - t.lastGood, total - t.lastTotal), total - t.lastTotal,
                    any ? h.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                    any ? h.getValueAtPercentile(99) / 1000.0 : Double.NaN, inFlight.applyAsInt(model));
            t.lastAdmitted = admitted;
            t.lastShed = shed;
            t.lastGood = t.lastGood + s.good();
            t.lastTotal = total;
            return s;
        }
    }

    private ModelTraffic of(String model) {
        return models.computeIfAbsent(model, m -> new ModelTraffic());
    }

    private static final class ModelTraffic {
        final LongAdder admitted = new LongAdder();
        final LongAdder shed = new LongAdder();
        final LongAdder good = new LongAdder();
        final LongAdder total = new LongAdder();
        final Recorder latency = new Recorder(MAX_MICROS, 3);
        final LongAdder[] servedTotal = adders();
        final LongAdder[] servedGood = adders();
        Histogram interval;
        long lastAdmitted;
        long lastShed;
        long lastGood;
        long lastTotal;

        private static LongAdder[] adders() {
            LongAdder[] a = new LongAdder[Served.values().length];
            for (int i = 0; i < a.length; i++) {
                a[i] = new LongAdder();
            }
            return a;
        }
    }
}
