package dev.stratus.core.simulation;

/** A FIFO of doubles on a growable power-of-two ring (a replica's queue of request arrival times). */
final class DoubleQueue {
    private double[] items = new double[16];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(double value) {
        if (size == items.length) {
            double[] grown = new double[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = items[(head + i) & (items.length - 1)];
            }
            items = grown;
            head = 0;
        }
        items[(head + size++) & (items.length - 1)] = value;
    }

    /** The {@code i}-th oldest value (0 = the head). */
    double get(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    double peek() {
        return items[head];
    }

    double poll() {
        double value = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return value;
    }
}
