package dev.stratus.core.simulation;

/**
 * What a run's batchers did, request by request, for checks and debugging: every batch started and every request
 * answered with the deadline error (expired, or dropped early under overload), per replica. Requests are named by
 * their arrival time; within one replica's queue for one model they are consecutive, oldest first.
 */
public interface SimTrace {
    SimTrace NONE = new SimTrace() {
        @Override
        public void batch(double atSeconds, int replica, String model, double firstArrival, int size) {
        }

        @Override
        public void dropped(double atSeconds, int replica, String model, double firstArrival, int count) {
        }
    };

    /** A batch of {@code size} requests, the oldest of which arrived at {@code firstArrival}, starts. */
    void batch(double atSeconds, int replica, String model, double firstArrival, int size);

    /** {@code count} queue heads, the oldest of which arrived at {@code firstArrival}, get the deadline error. */
    void dropped(double atSeconds, int replica, String model, double firstArrival, int count);
}
