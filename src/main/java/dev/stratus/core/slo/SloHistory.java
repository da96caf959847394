package dev.stratus.core.slo;

import dev.stratus.core.model.fleet.TrafficSample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the control service keeps of each model's SLI, for its own dashboard: every control period's sample (for
 * charts of the last minutes), per-minute good/total counts over the longest burn-rate window (3 days, for burn
 * rates), and totals since start (for the error budget). Fed with the traffic ledger's samples, so it counts with
 * the same rule as the control loop and the Prometheus counters. Thread-safe; every time is a parameter.
 */
public final class SloHistory {
    /** One control period of one model. */
    public record Point(long atMillis, double intervalSeconds, long good, long total, long admitted, long shed,
            double p50Ms, double p99Ms, int serving, int standby) {
        /** Requests per second that reached the gateway (admitted or turned away). */
        public double demandPerSecond() {
            return intervalSeconds > 0 ? (admitted + shed) / intervalSeconds : 0;
        }

        /** Share of the period's requests answered within the SLO, NaN when none ended. */
        public double attainment() {
            return total == 0 ? Double.NaN : (double) good / total;
        }
    }

    /** Good and total requests over some span. */
    public record Counts(long good, long total) {
        public static final Counts NONE = new Counts(0, 0);

        public double attainment() {
            return total == 0 ? Double.NaN : (double) good / total;
        }

        /** How fast this span spent the error budget: its error ratio over the budget (1 = exactly on target). */
        public double burnRate(double errorBudget) {
            // Bad over total, not 1 - attainment: 10 bad in 1000 must burn exactly 1.0 of a 1 % budget.
            return total == 0 ? Double.NaN : (double) (total - good) / total / errorBudget;
        }

        Counts plus(long g, long t) {
            return new Counts(good + g, total + t);
        }
    }

    private static final long MINUTE = 60_000;
    private static final int MINUTES = (int) BurnRateWindow.Window.D3.duration().toMinutes();

    private final Duration pointRetention;
    private final Map<String, ModelHistory> models = new HashMap<>();

    /** @param pointRetention how long per-period points are kept (the charts' span) */
    public SloHistory(Duration pointRetention) {
        this.pointRetention = pointRetention;
    }

    public synchronized void record(long atMillis, TrafficSample s, int serving, int standby) {
        ModelHistory h = models.computeIfAbsent(s.model(), m -> new ModelHistory());
        double interval = h.points.isEmpty() ? 0 : Math.max(0, (atMillis - h.points.peekLast().atMillis()) / 1000.0);
        h.points.addLast(new Point(atMillis, interval, s.good(), s.total(), s.admitted(), s.shed(), s.p50Ms(), s.p99Ms(),
                serving, standby));
        while (!h.points.isEmpty() && h.points.peekFirst().atMillis() <= atMillis - pointRetention.toMillis()) {
            h.points.removeFirst();
        }
        long minute = Math.floorDiv(atMillis, MINUTE);
        int slot = (int) Math.floorMod(minute, MINUTES);
        if (h.minuteOf[slot] != minute) {
            h.minuteOf[slot] = minute;
            h.good[slot] = 0;
            h.total[slot] = 0;
        }
        h.good[slot] += s.good();
        h.total[slot] += s.total();
        h.sinceStart = h.sinceStart.plus(s.good(), s.total());
    }

    /** The model's points at or after {@code sinceMillis}, oldest first. */
    public synchronized List<Point> points(String model, long sinceMillis) {
        ModelHistory h = models.get(model);
        if (h == null) {
            return List.of();
        }
        return h.points.stream().filter(p -> p.atMillis() >= sinceMillis).toList();
    }

    /**
     * Good and total over the {@code window} that ends at {@code nowMillis}: from the points while they reach that
     * far back, else from whole minutes (so a 1-day window may start up to a minute early).
     */
    public synchronized Counts window(String model, long nowMillis, Duration window) {
        ModelHistory h = models.get(model);
        if (h == null) {
            return Counts.NONE;
        }
        long from = nowMillis - window.toMillis();
        if (window.compareTo(pointRetention) <= 0) {
            Counts c = Counts.NONE;
            for (Point p : h.points) {
                if (p.atMillis() > from && p.atMillis() <= nowMillis) {
                    c = c.plus(p.good(), p.total());
                }
            }
            return c;
        }
        long first = Math.floorDiv(from, MINUTE);
        long last = Math.floorDiv(nowMillis, MINUTE);
        Counts c = Counts.NONE;
        for (int slot = 0; slot < MINUTES; slot++) {
            if (h.minuteOf[slot] >= first && h.minuteOf[slot] <= last) {
                c = c.plus(h.good[slot], h.total[slot]);
            }
        }
        return c;
    }

    /** Everything counted since the model was first seen. */
    public synchronized Counts sinceStart(String model) {
        ModelHistory h = models.get(model);
        return h == null ? Counts.NONE : h.sinceStart;
    }

    /** The model's latest point, if any. */
    public synchronized java.util.Optional<Point> latest(String model) {
        ModelHistory h = models.get(model);
        return h == null || h.points.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(h.points.peekLast());
    }

    /**
     * The burn-rate table applied to this history: the most severe row whose long and short windows both burn
     * faster than its factor, or empty. Windows longer than the history count what there is.
     */
    public synchronized java.util.Optional<BurnRateWindow.Severity> alerting(String model, long nowMillis,
            double errorBudget) {
        BurnRateWindow.Severity worst = null;
        for (BurnRateWindow r : BurnRateWindow.GOOGLE_30D) {
            double longBurn = window(model, nowMillis, r.longWindow().duration()).burnRate(errorBudget);
            double shortBurn = window(model, nowMillis, r.shortWindow().duration()).burnRate(errorBudget);
            if (longBurn > r.factor() && shortBurn > r.factor() && (worst == null || r.severity().ordinal()
                    < worst.ordinal())) {
                worst = r.severity();
            }
        }
        return java.util.Optional.ofNullable(worst);
    }

    /** Drops a model that is no longer served. */
    public synchronized void forget(String model) {
        models.remove(model);
    }

    public synchronized List<String> models() {
        return new ArrayList<>(models.keySet());
    }

    private static final class ModelHistory {
        final Deque<Point> points = new ArrayDeque<>();
        final long[] minuteOf = new long[MINUTES];
        final long[] good = new long[MINUTES];
        final long[] total = new long[MINUTES];
        Counts sinceStart = Counts.NONE;

        ModelHistory() {
            java.util.Arrays.fill(minuteOf, Long.MIN_VALUE);
        }
    }
}
