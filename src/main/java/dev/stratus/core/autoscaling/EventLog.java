package dev.stratus.core.autoscaling;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} scaling events, oldest overwritten first. Thread-safe (the control loop records, API
 * threads read); reads return copies in recording order. Recording order, not {@code atMillis} order: the loop
 * records in time order, and {@link #since} filters by time without assuming it.
 */
public final class EventLog {
    public static final int DEFAULT_CAPACITY = 1024;

    private final ScalingEvent[] ring;
    private int next;   // slot the next event goes into
    private int size;
    private long recorded;

    public EventLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        ring = new ScalingEvent[capacity];
    }

    public EventLog() {
        this(DEFAULT_CAPACITY);
    }

    public synchronized void record(ScalingEvent event) {
        if (event == null) {
            throw new NullPointerException("event");
        }
        ring[next] = event;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        recorded++;
    }

    /** The newest {@code n} events (all if fewer), oldest first. */
    public synchronized List<ScalingEvent> recent(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        int count = Math.min(n, size);
        List<ScalingEvent> out = new ArrayList<>(count);
        for (int i = size - count; i < size; i++) {
            out.add(at(i));
        }
        return out;
    }

    /** Retained events with {@code atMillis >= millis}, oldest first. */
    public synchronized List<ScalingEvent> since(long millis) {
        List<ScalingEvent> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ScalingEvent e = at(i);
            if (e.atMillis() >= millis) {
                out.add(e);
            }
        }
        return out;
    }

    public synchronized int size() {
        return size;
    }

    public int capacity() {
        return ring.length;
    }

    /** Events recorded since creation, including those overwritten. */
    public synchronized long recorded() {
        return recorded;
    }

    /** The i-th retained event, 0 = oldest. */
    private ScalingEvent at(int i) {
        int oldest = (next - size + ring.length) % ring.length;
        return ring[(oldest + i) % ring.length];
    }
}
