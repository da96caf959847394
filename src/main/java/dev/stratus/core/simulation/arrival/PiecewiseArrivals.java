package dev.stratus.core.simulation.arrival;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Poisson arrivals whose rate is piecewise constant: each segment holds its rate from its start until the next
 * segment's start (the last one forever). Steps and spikes (a 2–10× jump for a while) are written this way.
 * With {@code cycleSeconds > 0} the schedule repeats with that period (segments must start before it).
 */
public record PiecewiseArrivals(List<Segment> segments, double cycleSeconds) implements ArrivalProcess {

    /** From {@code startSeconds} on, arrivals at {@code rate} requests/s. */
    public record Segment(double startSeconds, double rate) {
        public Segment {
            if (startSeconds < 0 || rate < 0) {
                throw new IllegalArgumentException("segment start and rate must be >= 0");
            }
        }
    }

    public PiecewiseArrivals {
        segments = List.copyOf(segments);
        if (segments.isEmpty() || segments.get(0).startSeconds() != 0) {
            throw new IllegalArgumentException("the first segment must start at 0");
        }
        for (int i = 1; i < segments.size(); i++) {
            if (!(segments.get(i).startSeconds() > segments.get(i - 1).startSeconds())) {
                throw new IllegalArgumentException("segment starts must increase");
            }
        }
        if (cycleSeconds < 0 || (cycleSeconds > 0 && segments.get(segments.size() - 1).startSeconds() >= cycleSeconds)) {
            throw new IllegalArgumentException("a cycle must be longer than the last segment's start");
        }
        if (segments.stream().allMatch(s -> s.rate() == 0)) {
            throw new IllegalArgumentException("at least one segment needs a positive rate");
        }
    }

    /** Rates per consecutive window of {@code windowSeconds}, e.g. invocations per minute converted to per second. */
    public static PiecewiseArrivals ofWindows(double[] rates, double windowSeconds, boolean repeat) {
        List<Segment> list = new ArrayList<>(rates.length);
        for (int i = 0; i < rates.length; i++) {
            list.add(new Segment(i * windowSeconds, rates[i]));
        }
        return new PiecewiseArrivals(list, repeat ? rates.length * windowSeconds : 0);
    }

    @Override
    public ArrivalStream start(SplittableRandom rng) {
        return new ArrivalStream() {
            private double t;
            private int index;
            private double cycleStart;

            @Override
            public double next() {
                while (true) {
                    double end = segmentEnd();
                    double rate = segments.get(index).rate();
                    double candidate = rate > 0 ? t + rng.nextExponential() / rate : Double.POSITIVE_INFINITY;
                    if (candidate <= end) {
                        t = candidate;
                        return t;
                    }
                    if (end == Double.POSITIVE_INFINITY) {
                        return Double.POSITIVE_INFINITY;
                    }
                    t = end; // memoryless: restart the clock at the boundary
                    index++;
                    if (index == segments.size()) {
                        index = 0;
                        cycleStart += cycleSeconds;
                    }
                }
            }

            private double segmentEnd() {
                if (index + 1 < segments.size()) {
                    return cycleStart + segments.get(index + 1).startSeconds();
                }
                return cycleSeconds > 0 ? cycleStart + cycleSeconds : Double.POSITIVE_INFINITY;
            }
        };
    }

    /** The exact time average of the schedule over {@code [0, horizonSeconds)}. */
    @Override
    public double meanRate(double horizonSeconds) {
        if (!(horizonSeconds > 0)) {
            throw new IllegalArgumentException("horizon must be > 0");
        }
        double sum = 0;
        double cycleStart = 0;
        while (cycleStart < horizonSeconds) {
            for (int i = 0; i < segments.size(); i++) {
                double from = cycleStart + segments.get(i).startSeconds();
                double to = i + 1 < segments.size() ? cycleStart + segments.get(i + 1).startSeconds()
                        : cycleSeconds > 0 ? cycleStart + cycleSeconds : horizonSeconds;
                sum += segments.get(i).rate() * Math.max(0, Math.min(to, horizonSeconds) - Math.min(from, horizonSeconds));
            }
            if (cycleSeconds == 0) {
                break;
            }
            cycleStart += cycleSeconds;
        }
        return sum / horizonSeconds;
    }

    @Override
    public double peakRate() {
        return segments.stream().mapToDouble(Segment::rate).max().orElseThrow();
    }

    @Override
    public String describe() {
        return "piecewise(" + segments.size() + " segments, peak " + Rates.format(peakRate()) + "/s" + (cycleSeconds > 0 ? ", cycle " + cycleSeconds + " s" : "") + ")";
    }
}
