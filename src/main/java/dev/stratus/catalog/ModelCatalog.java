package dev.stratus.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stratus.core.model.DataType;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.OutputSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The model catalog: a YAML list of {@link ModelSpec}s, bundled with the application or given as a file. */
public final class ModelCatalog {
    public static final String BUNDLED = "/catalog/models.yaml";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Map<String, ModelSpec> models;

    private ModelCatalog(Map<String, ModelSpec> models) {
        this.models = models;
    }

    /** The catalog at {@code file} when given, else the bundled one. */
    public static ModelCatalog load(Optional<Path> file) {
        if (file.isPresent()) {
            try (InputStream in = Files.newInputStream(file.get())) {
                return parse(in, file.get().toString());
            } catch (IOException e) {
                throw new CatalogException("cannot read model catalog " + file.get() + ": " + e.getMessage());
            }
        }
        return bundled();
    }

    public static ModelCatalog bundled() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new CatalogException("bundled model catalog " + BUNDLED + " is missing from the build");
            }
            return parse(in, "bundled catalog");
        } catch (IOException e) {
            throw new CatalogException("cannot read bundled model catalog: " + e.getMessage());
        }
    }

    static ModelCatalog parse(InputStream in, String origin) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new CatalogException(origin + ": not valid YAML: " + e.getMessage());
        }
        JsonNode list = root == null ? null : root.get("models");
        if (list == null || !list.isArray()) {
            throw new CatalogException(origin + ": expected a top-level 'models' list");
        }
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String where = origin + ": models[" + i + "]";
            ModelSpec spec = parseModel(list.get(i), where);
            if (models.putIfAbsent(spec.name(), spec) != null) {
                throw new CatalogException(where + ": duplicate model name '" + spec.name() + "'");
            }
        }
        return new ModelCatalog(models);
    }

    private static ModelSpec parseModel(JsonNode n, String where) {
        String name = text(n, "name", where);
        where = where + " (" + name + ")";
        JsonNode src = required(n, "source", where);
        String sha = text(src, "sha256", where + ".source");
        if (!SHA256.matcher(sha).matches()) {
            throw new CatalogException(where + ".source.sha256: expected 64 lowercase hex digits, got '" + sha + "'");
        }
        ModelSource source = ModelSource.npm(text(src, "npmPackage", where + ".source"),
                text(src, "version", where + ".source"), text(src, "path", where + ".source"), sha);
        List<InputSpec> inputs = new ArrayList<>();
        for (JsonNode in : array(n, "inputs", where)) {
            inputs.add(parseInput(in, where + ".inputs"));
        }
        List<OutputSpec> outputs = new ArrayList<>();
        for (JsonNode out : array(n, "outputs", where)) {
            outputs.add(new OutputSpec(text(out, "name", where + ".outputs"), intField(out, "batchAxis",
                    where + ".outputs")));
        }
        try {
            return new ModelSpec(name, n.path("version").asText("1"), n.path("description").asText(""),
                    text(n, "licence", where), source, inputs, outputs, intField(n, "maxBatchSize", where));
        } catch (IllegalArgumentException e) {
            throw new CatalogException(where + ": " + e.getMessage());
        }
    }

    private static InputSpec parseInput(JsonNode in, String list) {
        String name = text(in, "name", list);
        String where = list + " (" + name + ")";
        String typeName = text(in, "datatype", where);
        DataType type = DataType.fromWireName(typeName)
                .orElseThrow(() -> new CatalogException(where + ".datatype: unknown datatype '" + typeName + "'"));
        List<Long> dims = new ArrayList<>();
        for (JsonNode d : array(in, "shape", where)) {
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw new CatalogException(where + ".shape: dims must be non-negative integers, got " + d);
            }
            dims.add(d.asLong());
        }
        JsonNode axis = required(in, "batchAxis", where);
        int batchAxis;
        if (axis.isTextual() && "shared".equals(axis.asText())) {
            batchAxis = InputSpec.SHARED;
        } else if (axis.isInt() && axis.asInt() >= 0) {
            batchAxis = axis.asInt();
        } else {
            throw new CatalogException(where + ".batchAxis: expected an axis index or 'shared' (index >= 0), got " + axis);
        }
        List<Double> sample = new ArrayList<>();
        JsonNode samples = in.path("sample");
        for (JsonNode v : samples.isArray() ? samples : samples.isMissingNode() ? List.<JsonNode>of()
                : List.of(samples)) {
            if (!v.isNumber()) {
                throw new CatalogException(where + ".sample: expected numbers, got " + v);
            }
            sample.add(v.asDouble());
        }
        try {
            return new InputSpec(name, type, dims.stream().mapToLong(Long::longValue).toArray(), batchAxis, sample);
        } catch (IllegalArgumentException e) {
            throw new CatalogException(where + ": " + e.getMessage());
        }
    }

    private static JsonNode required(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new CatalogException(where + ": missing field '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = required(n, field, where);
        if (!v.isValueNode() || v.asText().isBlank()) {
            throw new CatalogException(where + "." + field + ": expected a non-empty value");
        }
        return v.asText();
    }

    private static int intField(JsonNode n, String field, String where) {
        JsonNode v = required(n, field, where);
        if (!v.isInt()) {
            throw new CatalogException(where + "." + field + ": expected an integer, got " + v);
        }
        return v.asInt();
    }

    private static JsonNode array(JsonNode n, String field, String where) {
        JsonNode v = required(n, field, where);
        if (!v.isArray()) {
            throw new CatalogException(where + "." + field + ": expected a list");
        }
        return v;
    }

    public List<ModelSpec> models() {
        return List.copyOf(models.values());
    }

    public Optional<ModelSpec> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** The named model, or a {@link CatalogException} listing what the catalog has. */
    public ModelSpec require(String name) {
        return find(name).orElseThrow(() -> new CatalogException(
                "unknown model '" + name + "'; the catalog has: " + String.join(", ", models.keySet())));
    }
}
