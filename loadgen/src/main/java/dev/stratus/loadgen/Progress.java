package dev.stratus.loadgen;

/**
 * A once-a-second snapshot of a running load.
 *
 * @param ratePerSecond requests whose intended send time fell in the last full second
 * @param p99LastSecondMs p99 latency of ok responses that completed in the last full second; null if none
 */
public record Progress(double elapsedSeconds, long sent, long completed, long inFlight, long ratePerSecond,
                       Double p99LastSecondMs) {

    public String format() {
        return String.format("[loadgen] %6.1fs sent %d completed %d in-flight %d rate %d/s p99(1s) %s",
                elapsedSeconds, sent, completed, inFlight, ratePerSecond,
                p99LastSecondMs == null ? "-" : String.format("%.1f ms", p99LastSecondMs));
    }
}
