package dev.stratus.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
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

/**
 * The model catalog: a YAML list of {@link ModelSpec}s. The samples are bundled with the application; a user's
 * own models live in the {@link UserCatalog}; {@code --catalog FILE} replaces the bundled list. {@link #effective}
 * layers them the way the worker, the profiler and {@code stratus models} see them.
 */
public final class ModelCatalog {
    public static final String BUNDLED = "/catalog/models.yaml";
    /** Where an entry came from, for listings. */
    public static final String SAMPLES = "samples";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final Map<String, ModelSpec> models;
    private final Map<String, String> origins;

    private ModelCatalog(Map<String, ModelSpec> models, Map<String, String> origins) {
        this.models = models;
        this.origins = origins;
    }

    public static ModelCatalog empty() {
        return new ModelCatalog(new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /** The catalog at {@code file} when given, else the bundled one. */
    public static ModelCatalog load(Optional<Path> file) {
        return file.map(ModelCatalog::read).orElseGet(ModelCatalog::bundled);
    }

    /**
     * What serving sees: the given catalog (else the bundled samples) with the user's own models on top; a user
     * entry with a sample's name replaces the sample.
     */
    public static ModelCatalog effective(Optional<Path> file, UserCatalog user) {
        return load(file).with(user.load());
    }

    /** A catalog file; relative {@code file:} sources are resolved against the file's folder. */
    public static ModelCatalog read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString(), file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new CatalogException("cannot read model catalog " + file + ": " + e.getMessage());
        }
    }

    public static ModelCatalog bundled() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new CatalogException("bundled model catalog " + BUNDLED + " is missing from the build");
            }
            return parse(in, SAMPLES, Path.of("").toAbsolutePath());
        } catch (IOException e) {
            throw new CatalogException("cannot read bundled model catalog: " + e.getMessage());
        }
    }

    static ModelCatalog parse(InputStream in, String origin) {
        return parse(in, origin, Path.of("").toAbsolutePath());
    }

    static ModelCatalog parse(InputStream in, String origin, Path base) {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (IOException e) {
            throw new CatalogException(origin + ": not valid YAML: " + e.getMessage());
        }
        JsonNode list = root == null ? null : root.get("models");
        if (list == null || !list.isArray()) {
            throw new CatalogException(origin + ": expected a top-level 'models' list");
        }
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String where = origin + ": models[" + i + "]";
            ModelSpec spec = parseModel(list.get(i), where, base);
            if (models.putIfAbsent(spec.name(), spec) != null) {
                throw new CatalogException(where + ": duplicate model name '" + spec.name() + "'");
            }
            origins.put(spec.name(), origin);
        }
        return new ModelCatalog(models, origins);
    }

    private static ModelSpec parseModel(JsonNode n, String where, Path base) {
        String name = text(n, "name", where);
        String badName = ModelNames.problem(name).orElse(null);
        if (badName != null) {
            throw new CatalogException(where + ".name: " + badName);
        }
        where = where + " (" + name + ")";
        ModelSource source = source(required(n, "source", where), where + ".source", base);
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
                    n.path("licence").asText(""), source, inputs, outputs, intField(n, "maxBatchSize", where));
        } catch (IllegalArgumentException e) {
            throw new CatalogException(where + ": " + e.getMessage());
        }
    }

    /** {@code {uri, sha256}}; a relative local path is taken relative to {@code base}. */
    static ModelSource source(JsonNode src, String where, Path base) {
        if (!src.isObject()) {
            throw new CatalogException(where + ": expected {uri, sha256}");
        }
        src.fieldNames().forEachRemaining(f -> {
            if (!f.equals("uri") && !f.equals("sha256")) {
                throw new CatalogException(where + "." + f + ": unknown field; a source has uri and sha256");
            }
        });
        ModelSource parsed;
        try {
            parsed = ModelSource.parse(text(src, "uri", where), src.path("sha256").isNull() ? null
                    : src.path("sha256").asText(null));
        } catch (IllegalArgumentException e) {
            throw new CatalogException(where + "." + e.getMessage());
        }
        if (parsed.kind() == ModelSource.Kind.FILE && !Path.of(parsed.filePath()).isAbsolute()) {
            return ModelSource.file(base.resolve(parsed.filePath()), parsed.sha256());
        }
        return parsed;
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

    /** This catalog with {@code top}'s entries added, replacing entries of the same name. */
    public ModelCatalog with(ModelCatalog top) {
        Map<String, ModelSpec> merged = new LinkedHashMap<>(models);
        Map<String, String> from = new LinkedHashMap<>(origins);
        merged.putAll(top.models);
        from.putAll(top.origins);
        return new ModelCatalog(merged, from);
    }

    /** This catalog with one entry added or replaced. */
    public ModelCatalog with(ModelSpec spec, String origin) {
        Map<String, ModelSpec> merged = new LinkedHashMap<>(models);
        Map<String, String> from = new LinkedHashMap<>(origins);
        merged.put(spec.name(), spec);
        from.put(spec.name(), origin);
        return new ModelCatalog(merged, from);
    }

    /** This catalog without the named entry. */
    public ModelCatalog without(String name) {
        Map<String, ModelSpec> rest = new LinkedHashMap<>(models);
        Map<String, String> from = new LinkedHashMap<>(origins);
        rest.remove(name);
        from.remove(name);
        return new ModelCatalog(rest, from);
    }

    public List<ModelSpec> models() {
        return List.copyOf(models.values());
    }

    public Optional<ModelSpec> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** The entry whose source has this checksum: the same file under another name is the same model. */
    public Optional<ModelSpec> findBySha256(String sha256) {
        return models.values().stream().filter(m -> sha256 != null && sha256.equals(m.source().sha256()))
                .findFirst();
    }

    /** Where an entry came from: {@link #SAMPLES}, or the catalog file. */
    public String origin(String name) {
        return origins.getOrDefault(name, "");
    }

    /** The named model, or a {@link CatalogException} listing what the catalog has. */
    public ModelSpec require(String name) {
        return find(name).orElseThrow(() -> new CatalogException(
                "unknown model '" + name + "'; the catalog has: " + String.join(", ", models.keySet())));
    }

    /** The catalog as YAML, in the format {@link #read} takes. */
    public String toYaml() {
        ObjectNode root = YAML.createObjectNode();
        ArrayNode list = root.putArray("models");
        models.values().forEach(m -> list.add(entry(m)));
        try {
            return YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the catalog as YAML", e);
        }
    }

    /** One entry as a tree, in the catalog's format (what a worker shows of the entry it serves with). */
    public static ObjectNode entry(ModelSpec m) {
        ObjectNode n = YAML.createObjectNode().put("name", m.name()).put("version", m.version());
        if (!m.description().isEmpty()) {
            n.put("description", m.description());
        }
        if (!m.licence().isEmpty()) {
            n.put("licence", m.licence());
        }
        ObjectNode src = n.putObject("source").put("uri", m.source().uri());
        if (m.source().sha256() != null) {
            src.put("sha256", m.source().sha256());
        }
        n.put("maxBatchSize", m.maxBatchSize());
        ArrayNode inputs = n.putArray("inputs");
        for (InputSpec in : m.inputs()) {
            ObjectNode i = inputs.addObject().put("name", in.name()).put("datatype", in.datatype().name());
            ArrayNode shape = i.putArray("shape");
            for (long d : in.sampleShape()) {
                shape.add(d);
            }
            if (in.batched()) {
                i.put("batchAxis", in.batchAxis());
            } else {
                i.put("batchAxis", "shared");
            }
            if (!in.sampleValues().isEmpty()) {
                ArrayNode sample = i.putArray("sample");
                in.sampleValues().forEach(sample::add);
            }
        }
        ArrayNode outputs = n.putArray("outputs");
        for (OutputSpec out : m.outputs()) {
            outputs.addObject().put("name", out.name()).put("batchAxis", out.batchAxis());
        }
        return n;
    }

    /** An entry from its tree (as {@link #entry} writes it), checked like a catalog file's. */
    public static ModelSpec entry(com.fasterxml.jackson.databind.JsonNode tree, String origin) {
        return parseModel(tree, origin, Path.of("").toAbsolutePath());
    }
}
