package dev.stratus.core.simulation.arrival;

import java.util.Locale;

final class Rates {
    private Rates() {
    }

    static String format(double rate) {
        return rate == Math.rint(rate) && Math.abs(rate) < 1e15 ? Long.toString((long) rate)
                : String.format(Locale.ROOT, "%.3g", rate);
    }
}
