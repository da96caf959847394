package dev.stratus.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.stratus.core.model.profile.Profile;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * Converts profiles to and from their YAML/JSON documents: the record fields as they are, plus
 * {@code schemaVersion}. Reading checks the schema first, then the records' own rules (for example p95 ≥ p50),
 * so every error names a field.
 */
public final class ProfileDocuments {
    public static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProfileDocuments() {
    }

    public static ObjectNode toTree(Profile profile) {
        ObjectNode tree = JSON.createObjectNode().put("schemaVersion", SCHEMA_VERSION);
        tree.setAll((ObjectNode) JSON.valueToTree(profile));
        round(tree);
        return tree;
    }

    /** Six significant digits are more than the measurements carry; fewer digits keep the files readable. */
    private static void round(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.properties().forEach(e -> {
                if (e.getValue().isDouble()) {
                    o.put(e.getKey(), roundTo(e.getValue().doubleValue()));
                } else {
                    round(e.getValue());
                }
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isDouble()) {
                    a.set(i, JSON.getNodeFactory().numberNode(roundTo(a.get(i).doubleValue())));
                } else {
                    round(a.get(i));
                }
            }
        }
    }

    private static double roundTo(double v) {
        return Double.isFinite(v) ? new BigDecimal(v).round(new MathContext(6)).doubleValue() : v;
    }

    public static String toYaml(Profile profile) {
        try {
            return YAML.writeValueAsString(toTree(profile));
        } catch (JsonProcessingException e) {
            throw new ProfileException("cannot write profile of " + profile.model() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a YAML (or JSON) document.
     *
     * @param source what to call the document in errors, usually its path
     */
    public static Profile fromYaml(String text, String source) {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProfileException(source + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new ProfileException(source + ": expected a mapping at the top level");
        }
        return fromTree(tree, source);
    }

    public static Profile fromTree(JsonNode tree, String source) {
        List<String> violations = ProfileSchema.violations(tree);
        if (!violations.isEmpty()) {
            throw new ProfileException(source + ": does not match the profile schema: "
                    + String.join("; ", violations));
        }
        ObjectNode fields = tree.deepCopy();
        fields.remove("schemaVersion");
        try {
            return JSON.treeToValue(fields, Profile.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? m.getPathReference()
                    .replace("dev.stratus.core.model.profile.", "") : "";
            throw new ProfileException(source + ": " + (path.isEmpty() ? "" : path + ": ") + cause.getMessage(), e);
        }
    }
}
