package dev.stratus.loadgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * Thread-safe counters, latency histogram and per-second buckets of one model (or of all models). Latencies are
 * recorded in microseconds. Per-second histograms are reduced to p50/p99 once their second is over
 * ({@link #freezeBefore}), so memory does not grow with the run's length.
 */
final class Recorder {
    private static final long MAX_LATENCY_US = 3_600_000_000L;
    private static final int MAX_ERROR_SAMPLES = 10;

    private final String model;
    private final Double sloMs;
    private final Histogram latencyUs = new Histogram(MAX_LATENCY_US, 3);
    private final List<Bucket> seconds = new ArrayList<>();
    private final Map<String, Long> errorSamples = new LinkedHashMap<>();
    private long sent;
    private long ok;
    private long okWithinSlo;
    private long shed;
    private long deadline;
    private long errors;

    Recorder(String model, Double sloMs) {
        this.model = model;
        this.sloMs = sloMs;
    }

    synchronized void sent(int second) {
        sent++;
        bucket(second).offered++;
    }

    /** @param errorSample a short description for non-ok outcomes (status and body, or exception), else null */
    synchronized void completed(int second, Outcome outcome, long latencyNanos, boolean withinSlo, String errorSample) {
        Bucket b = bucket(second);
        b.completed++;
        switch (outcome) {
            case OK -> {
                ok++;
                b.ok++;
                long us = Math.min(MAX_LATENCY_US, Math.max(1, latencyNanos / 1000));
                latencyUs.recordValue(us);
                if (b.latencyUs == null && b.p50Ms == null) {
                    b.latencyUs = new IntCountsHistogram(MAX_LATENCY_US, 2);
                }
                if (b.latencyUs != null) {
                    b.latencyUs.recordValue(us);
                }
                if (withinSlo) {
                    okWithinSlo++;
                    b.okWithinSlo++;
                }
            }
            case SHED -> {
                shed++;
                b.shed++;
            }
            case DEADLINE -> {
                deadline++;
                b.deadline++;
            }
            case ERROR -> {
                errors++;
                b.errors++;
            }
        }
        if (errorSample != null && (errorSamples.containsKey(errorSample) || errorSamples.size() < MAX_ERROR_SAMPLES)) {
            errorSamples.merge(errorSample, 1L, Long::sum);
        }
    }

    synchronized long sentCount() {
        return sent;
    }

    synchronized long completedCount() {
        return ok + shed + deadline + errors;
    }

    synchronized long offeredIn(int second) {
        return second >= 0 && second < seconds.size() ? seconds.get(second).offered : 0;
    }

    synchronized Double p99In(int second) {
        if (second < 0 || second >= seconds.size()) {
            return null;
        }
        Bucket b = seconds.get(second);
        return b.latencyUs != null ? b.latencyUs.getValueAtPercentile(99) / 1e3 : b.p99Ms;
    }

    /** Reduces the histograms of seconds before {@code second} to their percentiles; late completions are rare. */
    synchronized void freezeBefore(int second) {
        for (int i = 0; i < Math.min(second, seconds.size()); i++) {
            seconds.get(i).freeze();
        }
    }

    synchronized ModelStats stats(double durationSeconds) {
        return new ModelStats(model, sloMs, sent, ok, shed, deadline, errors, okWithinSlo,
                sent == 0 ? 0 : (double) okWithinSlo / sent, okWithinSlo / durationSeconds, sent / durationSeconds,
                LatencySummary.of(latencyUs), errorSamples);
    }

    synchronized ModelSeries series(int length) {
        List<SecondStats> out = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            Bucket b = i < seconds.size() ? seconds.get(i) : new Bucket();
            b.freeze();
            out.add(new SecondStats(i, b.offered, b.completed, b.ok, b.okWithinSlo, b.shed, b.deadline, b.errors,
                    b.p50Ms, b.p99Ms));
        }
        return new ModelSeries(model, out);
    }

    synchronized int secondsSeen() {
        return seconds.size();
    }

    private Bucket bucket(int second) {
        while (seconds.size() <= second) {
            seconds.add(new Bucket());
        }
        return seconds.get(Math.max(0, second));
    }

    private static final class Bucket {
        long offered;
        long completed;
        long ok;
        long okWithinSlo;
        long shed;
        long deadline;
        long errors;
        AbstractHistogram latencyUs;
        Double p50Ms;
        Double p99Ms;

        void freeze() {
            if (latencyUs != null) {
                p50Ms = latencyUs.getValueAtPercentile(50) / 1e3;
                p99Ms = latencyUs.getValueAtPercentile(99) / 1e3;
                latencyUs = null;
            }
        }
    }
}
