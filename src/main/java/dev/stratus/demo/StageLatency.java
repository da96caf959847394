package dev.stratus.demo;

import dev.stratus.metrics.PrometheusText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's latency at the gateway over the load, from the cumulative histogram
 * {@code stratus_gateway_request_duration_seconds} scraped before, during (once a second) and after it: the growth
 * of each bucket between scrapes is the load's own requests (the warm-up's left out), and the quantiles are
 * interpolated within a bucket the way Prometheus' {@code histogram_quantile} does. For a pipeline's stage models
 * this is each stage's latency, with the stage requests of every pipeline request in it.
 *
 * <p>A stage model's histogram is made anew when the plan changes its budget (the budget is one of its bucket edges),
 * so its counts can restart from zero mid-run: a scrape whose total is below the previous one counts from zero, and
 * only the bucket edges every scrape had are used.
 *
 * @param count requests of the model that ended during the load
 */
record StageLatency(String model, long count, double p50Ms, double p99Ms, double budgetMs) {
    static final String HISTOGRAM = "stratus_gateway_request_duration_seconds_bucket";

    /** The load's latency of {@code model}, from the exposition text before and after it (every site summed). */
    static StageLatency between(String model, String before, String after) {
        return over(model, List.of(before, after));
    }

    /** The load's latency of {@code model} over scrapes in time order, the first taken before the load. */
    static StageLatency over(String model, List<String> scrapes) {
        TreeMap<Double, Double> grown = new TreeMap<>();
        TreeMap<Double, Integer> seen = new TreeMap<>();
        TreeMap<Double, Double> previous = new TreeMap<>();
        int scraped = 0;
        for (int i = 0; i < scrapes.size(); i++) {
            TreeMap<Double, Double> now = buckets(scrapes.get(i), model);
            scraped += now.isEmpty() ? 0 : 1;
            boolean restarted = total(now) < total(previous);
            for (Map.Entry<Double, Double> b : now.entrySet()) {
                seen.merge(b.getKey(), 1, Integer::sum);
                if (i > 0) {
                    double from = restarted ? 0 : previous.getOrDefault(b.getKey(), 0.0);
                    grown.merge(b.getKey(), Math.max(0, b.getValue() - from), Double::sum);
                }
            }
            previous = now;
        }
        List<double[]> diff = new ArrayList<>();
        for (Map.Entry<Double, Double> e : grown.entrySet()) {
            if (seen.get(e.getKey()) == scraped) { // an edge only some scrapes had would break the cumulation
                diff.add(new double[] {e.getKey(), e.getValue()});
            }
        }
        long count = diff.isEmpty() ? 0 : Math.round(diff.get(diff.size() - 1)[1]);
        return new StageLatency(model, count, 1000 * quantile(diff, 0.50), 1000 * quantile(diff, 0.99), Double.NaN);
    }

    /** The same with the stage budget the plan gave it. */
    StageLatency withBudget(double ms) {
        return new StageLatency(model, count, p50Ms, p99Ms, ms);
    }

    private static double total(TreeMap<Double, Double> buckets) {
        return buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
    }

    /** Cumulative counts by upper bound in seconds (+Inf as infinity), summed over the model's series. */
    static TreeMap<Double, Double> buckets(String text, String model) {
        TreeMap<Double, Double> counts = new TreeMap<>();
        for (PrometheusText.Sample b : PrometheusText.samples(text, HISTOGRAM)) {
            String bound = b.label("le");
            if (model.equals(b.label("model")) && bound != null) {
                double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                counts.merge(upper, b.value(), Double::sum);
            }
        }
        return counts;
    }

    /**
     * The q-quantile of cumulative buckets ({upper bound, count}, ascending), linear within its bucket (from 0 for
     * the first); NaN without observations; the highest finite bound when it falls in the +Inf bucket.
     */
    static double quantile(List<double[]> cumulative, double q) {
        if (cumulative.isEmpty() || cumulative.get(cumulative.size() - 1)[1] <= 0) {
            return Double.NaN;
        }
        double rank = q * cumulative.get(cumulative.size() - 1)[1];
        double lower = 0;
        double below = 0;
        for (double[] b : cumulative) {
            if (b[1] >= rank) {
                if (Double.isInfinite(b[0])) {
                    return lower;
                }
                return lower + (b[0] - lower) * (b[1] == below ? 1 : (rank - below) / (b[1] - below));
            }
            lower = b[0];
            below = b[1];
        }
        return lower;
    }

    String format() {
        return String.format(Locale.ROOT, "%s p50 %.0f ms, p99 %.0f ms of a %.0f ms budget (%d requests)", model,
                p50Ms, p99Ms, budgetMs, count);
    }
}
