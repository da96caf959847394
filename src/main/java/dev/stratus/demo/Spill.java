package dev.stratus.demo;

import dev.stratus.metrics.PrometheusText;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests an edge site's gateway took during the load, and how many of them it forwarded to the cloud (spill),
 * from {@code stratus_gateway_requests_total} (labels site and served) before and after it. Empty when the
 * configuration has no edge site: the cloud gateway's own requests are never spill.
 *
 * @param bySite site -> {requests taken at the site, of them served by the cloud}
 */
record Spill(Map<String, long[]> bySite) {
    static final String COUNTER = "stratus_gateway_requests_total";

    static Spill between(String before, String after) {
        Map<String, long[]> start = counts(before);
        Map<String, long[]> end = counts(after);
        Map<String, long[]> diff = new TreeMap<>();
        end.forEach((site, n) -> {
            long[] s = start.getOrDefault(site, new long[2]);
            diff.put(site, new long[] {n[0] - s[0], n[1] - s[1]});
        });
        return new Spill(diff);
    }

    private static Map<String, long[]> counts(String text) {
        Map<String, long[]> counts = new TreeMap<>();
        for (PrometheusText.Sample r : PrometheusText.samples(text, COUNTER)) {
            String site = r.label("site");
            if (site == null || site.equals("cloud")) {
                continue;
            }
            long n = Math.round(r.value());
            long[] c = counts.computeIfAbsent(site, k -> new long[2]);
            c[0] += n;
            if ("cloud".equals(r.label("served"))) {
                c[1] += n;
            }
        }
        return counts;
    }

    String format() {
        if (bySite.isEmpty()) {
            return "spill: none (no edge site in this configuration)";
        }
        StringBuilder s = new StringBuilder("spill to the cloud:");
        bySite.forEach((site, n) -> s.append(String.format(Locale.ROOT, " %s %d of %d (%.1f%%)", site, n[1], n[0],
                n[0] == 0 ? 0.0 : 100.0 * n[1] / n[0])));
        return s.toString();
    }
}
