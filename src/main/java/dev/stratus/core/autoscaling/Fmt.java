package dev.stratus.core.autoscaling;

import java.util.Locale;

/** Number formatting for reasons: fixed locale so events read the same on every machine. */
final class Fmt {
    private Fmt() {
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f/s", perSecond);
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.0f s", millis / 1000.0);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }

    static String num(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
