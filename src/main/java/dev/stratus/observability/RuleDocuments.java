package dev.stratus.observability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.stratus.core.slo.Rule;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two outputs of the rule generator ({@link dev.stratus.core.slo.SloRules}): a Prometheus rules file (what
 * {@code rule_files} in prometheus.yml loads and {@code promtool check rules} reads) and a PrometheusRule resource
 * ({@code monitoring.coreos.com/v1}) for the Prometheus operator, whose {@code spec} holds the same groups.
 */
public final class RuleDocuments {
    public static final String PROMETHEUS_RULE_API_VERSION = "monitoring.coreos.com/v1";
    public static final String PROMETHEUS_RULE_KIND = "PrometheusRule";
    /** The default name of the PrometheusRule, from {@code ./stratus rules} and from the operator alike. */
    public static final String PROMETHEUS_RULE_NAME = "stratus-slo";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));

    private RuleDocuments() {
    }

    /** {@code groups: [...]}: the rules file's content as a tree. */
    public static ObjectNode rulesTree(List<Rule.Group> groups) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode out = root.putArray("groups");
        for (Rule.Group g : groups) {
            ObjectNode group = out.addObject().put("name", g.name());
            if (!g.interval().isEmpty()) {
                group.put("interval", g.interval());
            }
            ArrayNode rules = group.putArray("rules");
            for (Rule r : g.rules()) {
                ObjectNode rule = rules.addObject();
                switch (r) {
                    case Rule.Recording rec -> rule.put("record", rec.record()).put("expr", rec.expr());
                    case Rule.Alert alert -> {
                        rule.put("alert", alert.alert()).put("expr", alert.expr());
                        if (!alert.forDuration().isEmpty()) {
                            rule.put("for", alert.forDuration());
                        }
                    }
                }
                putSorted(rule, "labels", r.labels());
                if (r instanceof Rule.Alert alert) {
                    putSorted(rule, "annotations", alert.annotations());
                }
            }
        }
        return root;
    }

    /** The rules file, YAML. */
    public static String rulesFile(List<Rule.Group> groups) {
        return yaml(rulesTree(groups));
    }

    /**
     * A PrometheusRule resource holding the same groups.
     *
     * @param namespace may be null (the namespace it is applied to)
     * @param labels    metadata labels, e.g. the {@code release} label a Prometheus operator's ruleSelector matches
     */
    public static ObjectNode prometheusRule(List<Rule.Group> groups, String name, String namespace,
            Map<String, String> labels) {
        ObjectNode root = JSON.createObjectNode().put("apiVersion", PROMETHEUS_RULE_API_VERSION)
                .put("kind", PROMETHEUS_RULE_KIND);
        ObjectNode metadata = root.putObject("metadata").put("name", name);
        if (namespace != null && !namespace.isBlank()) {
            metadata.put("namespace", namespace);
        }
        putSorted(metadata, "labels", labels);
        root.set("spec", rulesTree(groups));
        return root;
    }

    /** The labels every PrometheusRule of Stratus carries, whoever writes it. */
    public static Map<String, String> defaultLabels() {
        return Map.of("app.kubernetes.io/name", "stratus", "app.kubernetes.io/component", "slo-rules");
    }

    public static String yaml(ObjectNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putSorted(ObjectNode node, String field, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        ObjectNode out = node.putObject(field);
        new TreeMap<>(values).forEach(out::put);
    }
}
