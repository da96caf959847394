package dev.stratus.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Typed, validated access to one YAML mapping; every error names the full path of the field, e.g. models[1].sloMs. */
final class YamlFields {
    private final JsonNode node;
    private final String path;

    YamlFields(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new ScenarioException(path.isEmpty() ? "(document)" : path, "must be a mapping");
        }
        this.node = node;
        this.path = path;
    }

    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    String path() {
        return path;
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    void allowOnly(Set<String> fields) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new ScenarioException(path(f), "unknown field (allowed: " + String.join(", ",
                        fields.stream().sorted().toList()) + ")");
            }
        }
    }

    String string(String field) {
        JsonNode v = require(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new ScenarioException(path(field), "must be a non-empty string");
        }
        return v.asText();
    }

    String optionalString(String field) {
        return has(field) ? string(field) : null;
    }

    double number(String field) {
        JsonNode v = require(field);
        if (!v.isNumber()) {
            throw new ScenarioException(path(field), "must be a number, got '" + v.asText() + "'");
        }
        return v.asDouble();
    }

    double positive(String field) {
        double v = number(field);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ScenarioException(path(field), "must be > 0");
        }
        return v;
    }

    double nonNegative(String field) {
        double v = number(field);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new ScenarioException(path(field), "must be >= 0");
        }
        return v;
    }

    long integer(String field) {
        JsonNode v = require(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ScenarioException(path(field), "must be an integer, got '" + v.asText() + "'");
        }
        return v.asLong();
    }

    YamlFields object(String field) {
        return new YamlFields(require(field), path(field));
    }

    List<JsonNode> list(String field) {
        JsonNode v = require(field);
        if (!v.isArray()) {
            throw new ScenarioException(path(field), "must be a list");
        }
        List<JsonNode> items = new ArrayList<>();
        v.forEach(items::add);
        return items;
    }

    /** A list of numbers, each checked >= 0 (or > 0 when {@code strictlyPositive}). */
    List<Double> numbers(String field, int size, boolean strictlyPositive) {
        List<JsonNode> items = list(field);
        if (items.size() != size) {
            throw new ScenarioException(path(field), "must have exactly " + size + " entries, got " + items.size());
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode n = items.get(i);
            String p = path(field) + "[" + i + "]";
            if (!n.isNumber()) {
                throw new ScenarioException(p, "must be a number, got '" + n.asText() + "'");
            }
            double d = n.asDouble();
            if (strictlyPositive ? !(d > 0) : !(d >= 0)) {
                throw new ScenarioException(p, strictlyPositive ? "must be > 0" : "must be >= 0");
            }
            out.add(d);
        }
        return out;
    }

    private JsonNode require(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ScenarioException(path(field), "required");
        }
        return v;
    }
}
