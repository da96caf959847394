package dev.stratus.control.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.control.ModelScaling;
import dev.stratus.control.ServiceSpec;
import dev.stratus.core.model.ResourceName;
import dev.stratus.host.HardwareIdentity;
import dev.stratus.planning.io.PlanRequestException;
import dev.stratus.planning.io.PlanRequestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads Stratus resources written the Kubernetes way ({@code apiVersion: stratus.dev/v1alpha1}, {@code kind},
 * {@code metadata.name}, {@code spec}) from a directory of YAML files (several documents per file allowed) into
 * a {@link ServiceSpec}. Kinds: AcceleratorPool, InferenceModel, InferencePipeline: the same schema the CRDs
 * will have. Every error names the file, the resource and the field.
 */
public final class ResourceReader {
    public static final String API_VERSION = "stratus.dev/v1alpha1";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> MODEL_SPEC = Set.of("slo", "expectedRatePerSecond", "allowedPools",
            "edgePreference", "memoryMb", "maxBatch", "scaling");
    private static final Set<String> SCALING = Set.of("minReplicas", "maxReplicas", "warmPool");

    private ResourceReader() {
    }

    /** One parsed resource and where it came from, for error messages. */
    public record Resource(String kind, String name, JsonNode spec, String origin) {
    }

    public static ServiceSpec readDirectory(Path dir) {
        return toSpec(readResources(dir));
    }

    /** Every resource of every YAML file of a directory, in file order. */
    public static List<Resource> readResources(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ResourceException(dir + ": not a directory of resource files");
        }
        List<Resource> resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList()) {
                resources.addAll(parse(Files.readString(f), f.toString()));
            }
        } catch (IOException e) {
            throw new ResourceException("cannot read " + dir + ": " + e.getMessage());
        }
        return resources;
    }

    /** One resource from an API body (JSON or YAML), checked like a file's. */
    public static Resource parseOne(String text, String origin) {
        List<Resource> all = parse(text, origin);
        if (all.size() != 1) {
            throw new ResourceException(origin + ": expected one resource, got " + all.size());
        }
        return all.get(0);
    }

    /** The resource as a document again (apiVersion, kind, metadata.name, spec). */
    public static JsonNode document(Resource r) {
        ObjectNode doc = YAML.createObjectNode().put("apiVersion", API_VERSION).put("kind", r.kind());
        doc.putObject("metadata").put("name", r.name());
        doc.set("spec", r.spec());
        return doc;
    }

    /** Parses every document of a YAML text. */
    public static List<Resource> parse(String text, String origin) {
        List<Resource> out = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(text)) {
            Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
            int index = 0;
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                index++;
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                out.add(resource(doc, origin + " (document " + index + ")"));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ResourceException re) {
                throw re;
            }
            throw new ResourceException(origin + ": not valid YAML: " + e.getMessage());
        }
        return out;
    }

    private static Resource resource(JsonNode doc, String origin) {
        if (!API_VERSION.equals(doc.path("apiVersion").asText())) {
            throw new ResourceException(origin + ": apiVersion must be " + API_VERSION + ", got '"
                    + doc.path("apiVersion").asText() + "'");
        }
        String kind = doc.path("kind").asText();
        if (!Set.of("AcceleratorPool", "InferenceModel", "InferencePipeline").contains(kind)) {
            throw new ResourceException(origin + ": kind must be AcceleratorPool, InferenceModel or "
                    + "InferencePipeline, got '" + kind + "'");
        }
        String name = doc.path("metadata").path("name").asText();
        if (name.isEmpty()) {
            throw new ResourceException(origin + ": metadata.name must be set");
        }
        ResourceName.problem(name).ifPresent(p -> { throw new ResourceException(origin + ": metadata.name " + p); });
        if (!doc.path("spec").isObject()) {
            throw new ResourceException(origin + " " + kind + " '" + name + "': spec must be a mapping");
        }
        return new Resource(kind, name, doc.get("spec"), origin);
    }

    /** Builds the planner's request from the resources, checked by the planner's own reader. */
    public static ServiceSpec toSpec(List<Resource> resources) {
        ObjectNode request = YAML.createObjectNode();
        ArrayNode pools = request.putArray("pools");
        ArrayNode models = request.putArray("models");
        ArrayNode pipelines = request.putArray("pipelines");
        Map<String, ModelScaling> scaling = new LinkedHashMap<>();
        ModelCatalog catalog = ModelCatalog.bundled();
        for (Resource r : resources) {
            ObjectNode spec = r.spec().deepCopy();
            switch (r.kind()) {
                case "AcceleratorPool" -> {
                    if ("auto".equals(spec.path("hardwareId").asText())) {
                        // The local backend's pool is this machine, whatever it is.
                        spec.put("hardwareId", HardwareIdentity.detect(false).id());
                    }
                    pools.add(named(r, spec));
                }
                case "InferenceModel" -> {
                    unknown(r, spec, MODEL_SPEC, "spec");
                    JsonNode s = spec.remove("scaling");
                    scaling.put(r.name(), scaling(r, s));
                    JsonNode rate = spec.remove("expectedRatePerSecond");
                    spec.put("ratePerSecond", rate == null ? 0 : rate.asDouble());
                    if (!spec.has("maxBatch")) {
                        catalog.find(r.name()).ifPresent(m -> spec.put("maxBatch", m.maxBatchSize()));
                    }
                    models.add(named(r, spec));
                }
                default -> pipelines.add(named(r, spec));
            }
        }
        try {
            return new ServiceSpec(PlanRequestReader.parse(request.toString()), scaling);
        } catch (PlanRequestException e) {
            throw new ResourceException(locate(e.getMessage(), resources));
        }
    }

    private static ObjectNode named(Resource r, ObjectNode spec) {
        ObjectNode out = YAML.createObjectNode().put("name", r.name());
        out.setAll(spec);
        return out;
    }

    private static ModelScaling scaling(Resource r, JsonNode s) {
        if (s == null || s.isNull()) {
            return ModelScaling.DEFAULT;
        }
        unknown(r, s, SCALING, "spec.scaling");
        try {
            return new ModelScaling(s.path("minReplicas").asInt(ModelScaling.DEFAULT.minReplicas()),
                    s.path("maxReplicas").asInt(ModelScaling.DEFAULT.maxReplicas()),
                    s.path("warmPool").asInt(ModelScaling.DEFAULT.warmPool()));
        } catch (IllegalArgumentException e) {
            throw new ResourceException(r.origin() + " InferenceModel '" + r.name() + "': spec." + e.getMessage());
        }
    }

    private static void unknown(Resource r, JsonNode node, Set<String> known, String path) {
        node.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw new ResourceException(r.origin() + " " + r.kind() + " '" + r.name() + "': " + path + "." + f
                        + ": unknown field; known: " + known.stream().sorted().toList());
            }
        });
    }

    /** "models[1].slo.latencyMs: ..." becomes "<file> InferenceModel 'vad': spec.slo.latencyMs: ...". */
    static String locate(String message, List<Resource> resources) {
        for (String[] kinds : new String[][] {{"pools", "AcceleratorPool"}, {"models", "InferenceModel"},
                {"pipelines", "InferencePipeline"}}) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^" + kinds[0] + "\\[(\\d+)\\]\\.?(.*)$")
                    .matcher(message);
            if (m.find()) {
                List<Resource> ofKind = resources.stream().filter(r -> r.kind().equals(kinds[1])).toList();
                int i = Integer.parseInt(m.group(1));
                if (i < ofKind.size()) {
                    Resource r = ofKind.get(i);
                    return r.origin() + " " + r.kind() + " '" + r.name() + "': spec." + m.group(2);
                }
            }
        }
        return message;
    }
}
