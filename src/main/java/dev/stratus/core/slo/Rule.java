package dev.stratus.core.slo;

import java.util.Map;
import java.util.Objects;

/** One Prometheus rule, as rule files and PrometheusRule documents hold it. */
public sealed interface Rule {
    String expr();

    Map<String, String> labels();

    /** {@code record: NAME} — evaluates {@code expr} and stores it as a new series with {@code labels} added. */
    record Recording(String record, String expr, Map<String, String> labels) implements Rule {
        public Recording {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(expr, "expr");
            labels = Map.copyOf(labels);
        }
    }

    /**
     * {@code alert: NAME} — fires while {@code expr} returns series for at least {@code forDuration} (a PromQL
     * duration; empty fires at once).
     */
    record Alert(String alert, String expr, String forDuration, Map<String, String> labels,
            Map<String, String> annotations) implements Rule {
        public Alert {
            Objects.requireNonNull(alert, "alert");
            Objects.requireNonNull(expr, "expr");
            forDuration = forDuration == null ? "" : forDuration;
            labels = Map.copyOf(labels);
            annotations = Map.copyOf(annotations);
        }
    }

    /** A named group of rules evaluated together, every {@code interval} (empty: Prometheus' global interval). */
    record Group(String name, String interval, java.util.List<Rule> rules) {
        public Group {
            Objects.requireNonNull(name, "name");
            interval = interval == null ? "" : interval;
            rules = java.util.List.copyOf(rules);
        }
    }
}
