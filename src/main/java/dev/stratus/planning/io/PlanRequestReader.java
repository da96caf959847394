package dev.stratus.planning.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.plan.Tier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads a plan request document (YAML or JSON, field names as in the future CRDs) into a {@link PlanRequest}.
 * Every error names the field path ({@code models[2].slo.latencyMs: must be > 0, got -5.0}); unknown fields are
 * errors too, so that a typo does not silently fall back to a default.
 */
public final class PlanRequestReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Set<String> TOP = Set.of("pools", "models", "pipelines");
    static final Set<String> POOL = Set.of("name", "tier", "site", "accelerator", "hardwareId", "latencyScale",
            "costPerHour", "maxReplicas", "networkRttMs", "memoryMb");
    static final Set<String> MODEL = Set.of("name", "slo", "ratePerSecond", "allowedPools", "edgePreference", "memoryMb",
            "maxBatch");
    static final Set<String> SLO = Set.of("latencyMs", "percentile", "targetAttainment");
    static final Set<String> PIPELINE = Set.of("name", "stages", "edges", "sloMs", "ratePerSecond");
    static final Set<String> EDGE = Set.of("from", "to", "fanOut");
    public static final double DEFAULT_MEMORY_MB = 512;
    public static final int DEFAULT_MAX_BATCH = 64;

    private PlanRequestReader() {
    }

    public static PlanRequest read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new PlanRequestException("plan request " + file + " does not exist");
        } catch (IOException e) {
            throw new PlanRequestException("cannot read plan request " + file + ": " + e.getMessage(), e);
        }
        return parse(text);
    }

    public static PlanRequest parse(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PlanRequestException("not valid YAML or JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        }
        if (root == null || !root.isObject()) {
            throw new PlanRequestException("the document must be a mapping with pools, models and pipelines");
        }
        known(root, "", TOP);
        List<Pool> pools = list(root, "pools", true, PlanRequestReader::pool);
        List<ModelDemand> models = list(root, "models", true, PlanRequestReader::model);
        List<Pipeline> pipelines = list(root, "pipelines", false, PlanRequestReader::pipeline);
        try {
            return new PlanRequest(pools, models, pipelines);
        } catch (IllegalArgumentException e) {
            throw new PlanRequestException(e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface ItemReader<T> {
        T read(JsonNode node, String path);
    }

    private static <T> List<T> list(JsonNode root, String field, boolean required, ItemReader<T> reader) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new PlanRequestException(field + ": must be set");
            }
            return List.of();
        }
        if (!node.isArray()) {
            throw new PlanRequestException(field + ": must be a list");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(reader.read(node.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static Pool pool(JsonNode n, String path) {
        object(n, path);
        known(n, path, POOL);
        return build(path, () -> new Pool(text(n, path, "name", null), tier(n, path), text(n, path, "site", ""),
                text(n, path, "accelerator", ""), text(n, path, "hardwareId", null),
                number(n, path, "latencyScale", 1.0), number(n, path, "costPerHour", null),
                integer(n, path, "maxReplicas", null), number(n, path, "networkRttMs", 0.0),
                number(n, path, "memoryMb", null)));
    }

    private static ModelDemand model(JsonNode n, String path) {
        object(n, path);
        known(n, path, MODEL);
        Slo slo = null;
        JsonNode s = n.get("slo");
        if (s != null && !s.isNull()) {
            String sp = path + ".slo";
            object(s, sp);
            known(s, sp, SLO);
            slo = build(sp, () -> new Slo(number(s, sp, "latencyMs", null),
                    number(s, sp, "percentile", Slo.DEFAULT_PERCENTILE),
                    number(s, sp, "targetAttainment", Slo.DEFAULT_ATTAINMENT)));
        }
        Slo finalSlo = slo;
        return build(path, () -> new ModelDemand(text(n, path, "name", null), finalSlo,
                number(n, path, "ratePerSecond", 0.0), strings(n, path, "allowedPools"),
                bool(n, path, "edgePreference"), number(n, path, "memoryMb", DEFAULT_MEMORY_MB),
                integer(n, path, "maxBatch", DEFAULT_MAX_BATCH)));
    }

    private static Pipeline pipeline(JsonNode n, String path) {
        object(n, path);
        known(n, path, PIPELINE);
        List<PipelineEdge> edges = new ArrayList<>();
        JsonNode e = n.get("edges");
        if (e != null && !e.isNull()) {
            if (!e.isArray()) {
                throw new PlanRequestException(path + ".edges: must be a list");
            }
            for (int i = 0; i < e.size(); i++) {
                JsonNode edge = e.get(i);
                String ep = path + ".edges[" + i + "]";
                object(edge, ep);
                known(edge, ep, EDGE);
                edges.add(build(ep, () -> new PipelineEdge(text(edge, ep, "from", null), text(edge, ep, "to", null),
                        number(edge, ep, "fanOut", 1.0))));
            }
        }
        return build(path, () -> new Pipeline(text(n, path, "name", null), strings(n, path, "stages"), edges,
                number(n, path, "sloMs", null), number(n, path, "ratePerSecond", 0.0)));
    }

    /** Runs a record constructor; its "field: problem" message gets the object's path in front. */
    private static <T> T build(String path, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw new PlanRequestException(path + "." + e.getMessage(), e);
        }
    }

    private static void object(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw new PlanRequestException(path + ": must be a mapping");
        }
    }

    private static void known(JsonNode n, String path, Set<String> fields) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new PlanRequestException((path.isEmpty() ? "" : path + ".") + f + ": unknown field (expected one of "
                        + fields.stream().sorted().toList() + ")");
            }
        }
    }

    private static JsonNode field(JsonNode n, String path, String name, boolean hasDefault) {
        JsonNode v = n.get(name);
        if ((v == null || v.isNull()) && !hasDefault) {
            throw new PlanRequestException(path + "." + name + ": must be set");
        }
        return v == null || v.isNull() ? null : v;
    }

    private static String text(JsonNode n, String path, String name, String dflt) {
        JsonNode v = field(n, path, name, dflt != null);
        if (v == null) {
            return dflt;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new PlanRequestException(path + "." + name + ": must be a string");
        }
        return v.asText();
    }

    private static Double number(JsonNode n, String path, String name, Double dflt) {
        JsonNode v = field(n, path, name, dflt != null);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new PlanRequestException(path + "." + name + ": must be a number, got '" + v.asText() + "'");
        }
        return v.doubleValue();
    }

    private static Integer integer(JsonNode n, String path, String name, Integer dflt) {
        JsonNode v = field(n, path, name, dflt != null);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new PlanRequestException(path + "." + name + ": must be an integer, got '" + v.asText() + "'");
        }
        return v.intValue();
    }

    private static boolean bool(JsonNode n, String path, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new PlanRequestException(path + "." + name + ": must be true or false");
        }
        return v.booleanValue();
    }

    private static List<String> strings(JsonNode n, String path, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new PlanRequestException(path + "." + name + ": must be a list of names");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new PlanRequestException(path + "." + name + "[" + i + "]: must be a string");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    private static Tier tier(JsonNode n, String path) {
        String t = text(n, path, "tier", null);
        try {
            return Tier.valueOf(t.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PlanRequestException(path + ".tier: must be edge or cloud, got '" + t + "'");
        }
    }
}
