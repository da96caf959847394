package dev.stratus.core.slo;

import java.time.Duration;
import java.util.List;

/**
 * One row of the multi-window multi-burn-rate table: alert with {@code severity} when the error ratio over both the
 * long and the short window exceeds {@code factor} times the error budget. The long window makes the alert
 * significant, the short one lets it reset soon after the burn stops. {@code factor} is the burn rate that spends
 * {@code budgetConsumed} of a 30-day budget within the long window (factor = budget share × 30 d / long window).
 */
public record BurnRateWindow(Severity severity, Window longWindow, Window shortWindow, double factor,
        double budgetConsumed) {

    public enum Severity {
        PAGE, TICKET;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The SRE Workbook's table for a 30-day SLO window (Sloth's "google-30d"). */
    public static final List<BurnRateWindow> GOOGLE_30D = List.of(
            new BurnRateWindow(Severity.PAGE, Window.H1, Window.M5, 14.4, 0.02),
            new BurnRateWindow(Severity.PAGE, Window.H6, Window.M30, 6, 0.05),
            new BurnRateWindow(Severity.TICKET, Window.D1, Window.H2, 3, 0.10),
            new BurnRateWindow(Severity.TICKET, Window.D3, Window.H6, 1, 0.10));

    /** The SLO period the table is made for. */
    public static final Duration PERIOD = Duration.ofDays(30);

    /** The error ratio above which this row fires, for a given error budget. */
    public double threshold(double errorBudget) {
        return java.math.BigDecimal.valueOf(factor).multiply(java.math.BigDecimal.valueOf(errorBudget)).doubleValue();
    }

    /** The windows over which the SLI's error ratio is recorded: every window the table uses, shortest first. */
    public enum Window {
        M5("5m", Duration.ofMinutes(5)),
        M30("30m", Duration.ofMinutes(30)),
        H1("1h", Duration.ofHours(1)),
        H2("2h", Duration.ofHours(2)),
        H6("6h", Duration.ofHours(6)),
        D1("1d", Duration.ofDays(1)),
        D3("3d", Duration.ofDays(3));

        private final String promql;
        private final Duration duration;

        Window(String promql, Duration duration) {
            this.promql = promql;
            this.duration = duration;
        }

        /** The window as a PromQL duration ({@code 5m}, {@code 1d}). */
        public String promql() {
            return promql;
        }

        public Duration duration() {
            return duration;
        }
    }
}
