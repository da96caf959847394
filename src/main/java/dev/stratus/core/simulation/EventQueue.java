package dev.stratus.core.simulation;

import java.util.Arrays;

/**
 * The future event list: a binary min-heap on primitive arrays (no boxing, no per-event objects), ordered by time
 * and then by insertion order, so simultaneous events run first-scheduled-first and runs are reproducible.
 * A payload is a long the engine encodes (event kind and index).
 */
final class EventQueue {
    private double[] time = new double[64];
    private long[] seq = new long[64];
    private long[] payload = new long[64];
    private int size;
    private long nextSeq;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void push(double t, long data) {
        if (size == time.length) {
            time = Arrays.copyOf(time, size * 2);
            seq = Arrays.copyOf(seq, size * 2);
            payload = Arrays.copyOf(payload, size * 2);
        }
        long s = nextSeq++;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, s, time[parent], seq[parent])) {
                break;
            }
            time[i] = time[parent];
            seq[i] = seq[parent];
            payload[i] = payload[parent];
            i = parent;
        }
        time[i] = t;
        seq[i] = s;
        payload[i] = data;
    }

    double peekTime() {
        return time[0];
    }

    long peekPayload() {
        return payload[0];
    }

    /** Removes the earliest event. */
    void pop() {
        int last = --size;
        double t = time[last];
        long s = seq[last];
        long data = payload[last];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(time[right], seq[right], time[child], seq[child])) {
                child = right;
            }
            if (!before(time[child], seq[child], t, s)) {
                break;
            }
            time[i] = time[child];
            seq[i] = seq[child];
            payload[i] = payload[child];
            i = child;
        }
        time[i] = t;
        seq[i] = s;
        payload[i] = data;
    }

    private static boolean before(double t1, long s1, double t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }
}
