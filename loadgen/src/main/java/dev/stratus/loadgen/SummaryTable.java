package dev.stratus.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human-readable summary printed at the end of a run. */
public final class SummaryTable {
    private static final String[] HEADER = {"model", "sent", "ok", "shed", "504", "errors", "p50 ms", "p95 ms",
        "p99 ms", "max ms", "SLO ms", "SLO att.", "goodput/s"};

    private SummaryTable() {
    }

    public static String format(LoadResult r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        r.models().forEach(m -> rows.add(row(m)));
        if (r.models().size() > 1) {
            rows.add(row(r.total()));
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "scenario %s, target %s, seed %d: %.0f s scheduled, %.1f s elapsed%n",
                r.scenario(), r.target(), r.seed(), r.durationSeconds(), r.elapsedSeconds()));
        if (r.sendLag() != null) {
            out.append(String.format(Locale.ROOT, "client send lag (actual - intended send time): p99 %s ms, max %s ms%n",
                    ms(r.sendLag().p99Ms()), ms(r.sendLag().maxMs())));
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                String cell = i == 0 ? pad(row[i], width[i], true) : pad(row[i], width[i], false);
                out.append(i == 0 ? "" : "  ").append(cell);
            }
            out.append(System.lineSeparator());
        }
        for (ModelStats m : r.models()) {
            for (Map.Entry<String, Long> e : m.errorSamples().entrySet()) {
                out.append(String.format(Locale.ROOT, "  %s: %d x %s%n", m.model(), e.getValue(), e.getKey()));
            }
        }
        return out.toString();
    }

    private static String[] row(ModelStats m) {
        LatencySummary l = m.latency();
        return new String[] {m.model(), Long.toString(m.sent()), Long.toString(m.ok()), Long.toString(m.shed()),
            Long.toString(m.deadline()), Long.toString(m.errors()), ms(l == null ? null : l.p50Ms()),
            ms(l == null ? null : l.p95Ms()), ms(l == null ? null : l.p99Ms()), ms(l == null ? null : l.maxMs()),
            m.sloMs() == null ? "-" : String.format(Locale.ROOT, "%.0f", m.sloMs()),
            String.format(Locale.ROOT, "%.1f%%", 100 * m.attainment()),
            String.format(Locale.ROOT, "%.1f", m.goodputPerSecond())};
    }

    private static String ms(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
    }

    private static String pad(String s, int width, boolean left) {
        String fill = " ".repeat(width - s.length());
        return left ? s + fill : fill + s;
    }
}
