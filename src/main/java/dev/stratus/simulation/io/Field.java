package dev.stratus.simulation.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A YAML node with its path in the file, so that every error names the field (e.g. {@code models[1].sloMs}). */
record Field(String path, JsonNode node) {

    Field get(String name) {
        return new Field(path.isEmpty() ? name : path + "." + name, node == null ? null : node.get(name));
    }

    boolean present() {
        return node != null && !node.isNull();
    }

    Field required() {
        if (!present()) {
            throw new ScenarioException(path + ": required");
        }
        return this;
    }

    String text() {
        required();
        if (!node.isTextual() && !node.isNumber()) {
            throw new ScenarioException(path + ": expected text, got " + node.getNodeType().name().toLowerCase());
        }
        return node.asText();
    }

    String text(String fallback) {
        return present() ? text() : fallback;
    }

    double number() {
        required();
        if (!node.isNumber()) {
            throw new ScenarioException(path + ": expected a number, got '" + node.asText() + "'");
        }
        return node.asDouble();
    }

    double number(double fallback) {
        return present() ? number() : fallback;
    }

    double positive() {
        double v = number();
        if (!(v > 0)) {
            throw new ScenarioException(path + ": must be > 0, got " + v);
        }
        return v;
    }

    double nonNegative(double fallback) {
        double v = number(fallback);
        if (v < 0) {
            throw new ScenarioException(path + ": must be >= 0, got " + v);
        }
        return v;
    }

    int integer(int fallback) {
        if (!present()) {
            return fallback;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new ScenarioException(path + ": expected an integer, got '" + node.asText() + "'");
        }
        return node.asInt();
    }

    long longValue(long fallback) {
        if (!present()) {
            return fallback;
        }
        if (!node.isIntegralNumber()) {
            throw new ScenarioException(path + ": expected an integer, got '" + node.asText() + "'");
        }
        return node.asLong();
    }

    boolean bool(boolean fallback) {
        if (!present()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new ScenarioException(path + ": expected true or false, got '" + node.asText() + "'");
        }
        return node.asBoolean();
    }

    List<Field> list() {
        required();
        if (!node.isArray()) {
            throw new ScenarioException(path + ": expected a list");
        }
        List<Field> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            items.add(new Field(path + "[" + i + "]", node.get(i)));
        }
        return items;
    }

    /** The entries of a mapping, in file order. */
    List<Map.Entry<String, Field>> entries() {
        required();
        if (!node.isObject()) {
            throw new ScenarioException(path + ": expected a mapping");
        }
        List<Map.Entry<String, Field>> entries = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            entries.add(Map.entry(name, get(name)));
        }
        return entries;
    }

    /** Rejects keys this mapping does not know: a typo should not be silently ignored. */
    Field only(Set<String> known) {
        required();
        if (!node.isObject()) {
            throw new ScenarioException(path + ": expected a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new ScenarioException((path.isEmpty() ? "" : path + ".") + name + ": unknown field (expected one of "
                        + known.stream().sorted().toList() + ")");
            }
        }
        return this;
    }
}
