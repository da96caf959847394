package dev.stratus.operator;

import java.util.Map;

/**
 * Whether the operator publishes its models' SLO rules as a PrometheusRule (the chart's
 * {@code prometheusRule.enabled}), and the labels the Prometheus operator's {@code ruleSelector} matches.
 */
public record RulePublishing(boolean enabled, Map<String, String> labels) {
    public static final RulePublishing OFF = new RulePublishing(false, Map.of());

    public RulePublishing {
        labels = Map.copyOf(labels);
    }

    /** On, with {@code labels} given as {@code key=value} items (the chart's and the command line's form). */
    public static RulePublishing on(Iterable<String> labels) {
        Map<String, String> parsed = new java.util.LinkedHashMap<>();
        for (String item : labels) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a PrometheusRule label must be key=value, got '" + item + "'");
            }
            parsed.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
        }
        return new RulePublishing(true, parsed);
    }
}
