package dev.stratus.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON Schema of profile files ({@code profiles/profile.schema.json}, shipped in the jar), applied to a
 * parsed document. Each violation is reported as {@code <field path>: <what is wrong>}.
 */
public final class ProfileSchema {
    public static final String RESOURCE = "/profiles/profile.schema.json";
    private static final Schema SCHEMA = load();

    private ProfileSchema() {
    }

    /** Violations of the schema, empty when the document conforms. */
    public static List<String> violations(JsonNode document) {
        List<Error> errors = SCHEMA.validate(document);
        return errors.stream().map(ProfileSchema::describe).toList();
    }

    private static String describe(Error e) {
        String field = dotted(e.getInstanceLocation().toString());
        // "required" and "additionalProperties" errors sit on the parent; name the property itself.
        if (e.getProperty() != null && !field.endsWith(e.getProperty())) {
            field = field.isEmpty() ? e.getProperty() : field + "." + e.getProperty();
        }
        return (field.isEmpty() ? "(document)" : field) + ": " + e.getMessage().replaceFirst("^\\S+: ", "");
    }

    /** "/batches/0/p99Ms" or "$.batches[0].p99Ms" as "batches[0].p99Ms". */
    static String dotted(String location) {
        if (!location.startsWith("/")) {
            return location.replaceFirst("^\\$\\.?", "");
        }
        StringBuilder out = new StringBuilder();
        for (String part : location.substring(1).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.chars().allMatch(Character::isDigit)) {
                out.append('[').append(part).append(']');
            } else {
                out.append(out.isEmpty() ? "" : ".").append(part);
            }
        }
        return out.toString();
    }

    private static Schema load() {
        try (InputStream in = ProfileSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("profile schema " + RESOURCE + " missing from the build");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
