package dev.stratus.control.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.stratus.catalog.InputShapes;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.UserCatalog;
import dev.stratus.control.ModelScaling;
import dev.stratus.control.ServiceSpec;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.plan.Tier;
import dev.stratus.core.model.ResourceName;
import dev.stratus.host.HardwareIdentity;
import dev.stratus.planning.io.PlanRequestReader;
import dev.stratus.resource.AcceleratorPoolSpec;
import dev.stratus.resource.InferenceModelSpec;
import dev.stratus.resource.InferencePipelineSpec;
import dev.stratus.resource.Kinds;
import dev.stratus.resource.PipelineEdgeSpec;
import dev.stratus.resource.PipelineProcessing;
import dev.stratus.resource.PoolTier;
import dev.stratus.core.model.fleet.PipelineWiring;
import dev.stratus.resource.ResourceSpec;
import dev.stratus.resource.ScalingSpec;
import dev.stratus.resource.SloSpec;
import dev.stratus.resource.SpecConstraints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads Stratus resources written the Kubernetes way ({@code apiVersion: stratus.dev/v1alpha1}, {@code kind},
 * {@code metadata.name}, {@code spec}) from a directory of YAML files (several documents per file allowed) into
 * a {@link ServiceSpec}. Each spec is bound to the same types the operator's custom resources use
 * ({@code dev.stratus.resource}), checked against the same constraints as the CRD schema, then turned into the
 * planner's records. Every error names the file, the resource and the field.
 */
public final class ResourceReader {
    public static final String API_VERSION = Kinds.API_VERSION;
    /** The cloud gateway's site label: an edge site may not take it. */
    public static final String RESERVED_SITE = "cloud";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");
    /** Defaults of fields a spec may leave out (the catalog's max batch, when it knows the model, comes first). */
    static final double DEFAULT_LATENCY_SCALE = 1.0;

    private ResourceReader() {
    }

    /** One resource, its typed spec, and where it came from (a file and document, an API body, a cluster). */
    public record Resource(String kind, String name, ResourceSpec spec, String origin) {
        public Resource {
            if (!ResourceSpec.kindOf(spec).equals(kind)) {
                throw new IllegalArgumentException("a " + kind + " needs a " + kind + " spec");
            }
        }

        /** How errors name this resource: {@code <origin> InferenceModel 'vad'}. */
        public String where() {
            return origin + " " + kind + " '" + name + "'";
        }
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
        doc.set("spec", YAML.valueToTree(r.spec()));
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
        if (!Kinds.ALL.contains(kind)) {
            throw new ResourceException(origin + ": kind must be AcceleratorPool, InferenceModel or "
                    + "InferencePipeline, got '" + kind + "'");
        }
        String name = doc.path("metadata").path("name").asText();
        if (name.isEmpty()) {
            throw new ResourceException(origin + ": metadata.name must be set");
        }
        ResourceName.problem(name).ifPresent(p -> { throw new ResourceException(origin + ": metadata.name " + p); });
        if (!doc.path("spec").isObject()) {
            throw new ResourceException(origin + " " + kind + " '" + name + "': spec must be a mapping", kind, name);
        }
        return bind(kind, name, doc.get("spec"), origin);
    }

    /** Binds a spec document to its kind's type and checks it alone (types, required fields, constraints). */
    public static Resource bind(String kind, String name, JsonNode spec, String origin) {
        String where = origin + " " + kind + " '" + name + "'";
        ResourceSpec typed;
        try {
            typed = YAML.treeToValue(spec, Kinds.specType(kind));
        } catch (JsonMappingException e) {
            throw new ResourceException(where + ": " + describe(e), kind, name);
        } catch (IOException e) {
            throw new ResourceException(where + ": spec: " + e.getMessage(), kind, name);
        }
        if (typed == null) {
            throw new ResourceException(where + ": spec must be a mapping", kind, name);
        }
        return checked(new Resource(kind, name, typed, origin));
    }

    /** Checks a typed resource alone: the schema's constraints, then the planner's own rules for its fields. */
    public static Resource checked(Resource r) {
        SpecConstraints.firstViolation((Record) r.spec()).ifPresent(v -> {
            throw new ResourceException(r.where() + ": spec." + v, r.kind(), r.name());
        });
        switch (r.spec()) {
            case AcceleratorPoolSpec p -> pool(r.name(), p, r);
            case InferenceModelSpec m -> {
                model(r.name(), m, ModelCatalog.empty(), r);
                scaling(m.scaling(), r);
            }
            case InferencePipelineSpec p -> pipeline(r.name(), p, r);
        }
        return r;
    }

    /** "spec.slo.latencyMs: must be set", from what Jackson reports. */
    private static String describe(JsonMappingException e) {
        String path = e.getPath().stream().map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName()
                : "[" + ref.getIndex() + "]").collect(Collectors.joining());
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds() == null ? List.of()
                    : u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            return "spec" + path + ": unknown field; known: " + known;
        }
        if (e instanceof InvalidFormatException f) {
            Class<?> target = f.getTargetType();
            String expected = target != null && target.isEnum() ? "one of " + enumValues(target)
                    : target != null && Number.class.isAssignableFrom(target) ? "a number"
                    : target == Boolean.class ? "true or false" : "a " + (target == null ? "value" : target.getSimpleName());
            return "spec" + path + ": must be " + expected + ", got '" + f.getValue() + "'";
        }
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Missing required creator property")) {
            Matcher m = QUOTED.matcher(message);
            return "spec" + path + (m.find() ? "." + m.group(1) : "") + ": must be set";
        }
        if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            Class<?> t = mi.getTargetType();
            String expected = List.class.isAssignableFrom(t) ? "a list" : Map.class.isAssignableFrom(t) ? "a mapping"
                    : Number.class.isAssignableFrom(t) || t.isPrimitive() ? "a number"
                    : t == String.class ? "a string" : t.isEnum() ? "one of " + enumValues(t) : "a mapping";
            return "spec" + path + ": must be " + expected;
        }
        return "spec" + path + ": " + (message == null ? e.getMessage() : message.lines().findFirst().orElse(""));
    }

    private static List<String> enumValues(Class<?> type) {
        return YAML.convertValue(type.getEnumConstants(), JsonNode.class).valueStream().map(JsonNode::asText).toList();
    }

    /**
     * Builds the planner's request and the scaling bounds from the resources; a model's default max batch comes
     * from the catalog the workers read (the samples and the user's own models).
     */
    public static ServiceSpec toSpec(List<Resource> resources) {
        return toSpec(resources, ModelCatalog.effective(Optional.empty(), UserCatalog.fromEnvironment()));
    }

    /** As {@link #toSpec(List)}, with the default max batch from {@code catalog} (one that describes every model). */
    public static ServiceSpec toSpec(List<Resource> resources, ModelCatalog catalog) {
        List<Pool> pools = new ArrayList<>();
        List<ModelDemand> models = new ArrayList<>();
        List<Pipeline> pipelines = new ArrayList<>();
        Map<String, ModelScaling> scaling = new LinkedHashMap<>();
        Map<String, PipelineWiring> wiring = new LinkedHashMap<>();
        for (Resource r : resources) {
            switch (r.spec()) {
                case AcceleratorPoolSpec p -> pools.add(pool(r.name(), p, r));
                case InferenceModelSpec m -> {
                    models.add(model(r.name(), m, catalog, r));
                    scaling.put(r.name(), scaling(m.scaling(), r));
                }
                case InferencePipelineSpec p -> {
                    pipelines.add(pipeline(r.name(), p, r));
                    wiring.put(r.name(), wiring(p));
                }
            }
        }
        try {
            return new ServiceSpec(new PlanRequest(pools, models, pipelines), scaling, wiring);
        } catch (IllegalArgumentException e) {
            throw locate(e.getMessage(), resources);
        }
    }

    /** The planner's pools of the AcceleratorPool resources among {@code resources}. */
    public static List<Pool> pools(List<Resource> resources) {
        return resources.stream().filter(r -> r.spec() instanceof AcceleratorPoolSpec)
                .map(r -> pool(r.name(), (AcceleratorPoolSpec) r.spec(), r)).toList();
    }

    private static Pool pool(String name, AcceleratorPoolSpec p, Resource r) {
        if (p.tier() == PoolTier.EDGE && RESERVED_SITE.equals(p.site())) {
            throw new ResourceException(r.where() + ": spec.site: '" + RESERVED_SITE + "' names the cloud gateway "
                    + "(its metrics' site label); give the edge site another name", r.kind(), r.name());
        }
        return build(r, "spec.", () -> new Pool(name, p.tier() == null ? null : Tier.valueOf(p.tier().name()),
                p.site(), p.accelerator(), hardwareId(p.hardwareId()), or(p.latencyScale(), DEFAULT_LATENCY_SCALE),
                required(p.costPerHour(), "costPerHour"), required(p.maxReplicas(), "maxReplicas"),
                or(p.networkRttMs(), 0.0), required(p.memoryMb(), "memoryMb")));
    }

    /** The local backend's pool is this machine, whatever it is: "auto" stands for its hardware class. */
    private static String hardwareId(String declared) {
        return "auto".equals(declared) ? HardwareIdentity.detect(false).id() : declared;
    }

    private static ModelDemand model(String name, InferenceModelSpec m, ModelCatalog catalog, Resource r) {
        Slo slo = m.slo() == null ? null : build(r, "spec.slo.", () -> slo(m.slo()));
        int maxBatch = m.maxBatch() != null ? m.maxBatch()
                : catalog.find(name).map(c -> c.maxBatchSize()).orElse(PlanRequestReader.DEFAULT_MAX_BATCH);
        if (m.source() != null) {
            build(r, "spec.source.", () -> m.source().toModelSource());
        }
        build(r, "spec.inputShapes.", () -> InputShapes.of(m.inputShapes()));
        return build(r, "spec.", () -> new ModelDemand(name, slo, or(m.expectedRatePerSecond(), 0.0),
                m.allowedPools(), Boolean.TRUE.equals(m.edgePreference()),
                or(m.memoryMb(), PlanRequestReader.DEFAULT_MEMORY_MB), maxBatch));
    }

    private static Slo slo(SloSpec s) {
        return new Slo(required(s.latencyMs(), "latencyMs"), or(s.percentile(), Slo.DEFAULT_PERCENTILE),
                or(s.targetAttainment(), Slo.DEFAULT_ATTAINMENT));
    }

    private static ModelScaling scaling(ScalingSpec s, Resource r) {
        if (s == null) {
            return ModelScaling.DEFAULT;
        }
        ModelScaling d = ModelScaling.DEFAULT;
        return build(r, "spec.", () -> new ModelScaling(or(s.minReplicas(), d.minReplicas()),
                or(s.maxReplicas(), d.maxReplicas()), or(s.warmPool(), d.warmPool())));
    }

    /**
     * A gateway's route for a pipeline read from the cluster: its spec read as the YAML reader reads it, with the
     * stage budgets the operator wrote in its status. Empty while a stage has no budget yet (not planned).
     *
     * @throws ResourceException when the spec is invalid (the operator reports it on the pipeline's conditions)
     */
    public static java.util.Optional<dev.stratus.core.model.fleet.PipelineRoute> pipelineRoute(String name,
            InferencePipelineSpec spec, Map<String, Double> stageBudgetsMs) {
        Resource r = new Resource(Kinds.PIPELINE, name, spec, "cluster");
        Pipeline pipeline = pipeline(name, spec, r);
        if (!pipeline.stages().stream().allMatch(s -> stageBudgetsMs.get(s) != null && stageBudgetsMs.get(s) > 0)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new dev.stratus.core.model.fleet.PipelineRoute(pipeline, pipeline.sloMs(),
                stageBudgetsMs, wiring(spec)));
    }

    private static Pipeline pipeline(String name, InferencePipelineSpec p, Resource r) {
        List<PipelineEdge> edges = new ArrayList<>();
        List<PipelineEdgeSpec> specs = p.edges() == null ? List.of() : p.edges();
        for (int i = 0; i < specs.size(); i++) {
            PipelineEdgeSpec e = specs.get(i);
            edges.add(build(r, "spec.edges[" + i + "].", () -> new PipelineEdge(required(e.from(), "from"),
                    required(e.to(), "to"), or(e.fanOut(), 1.0))));
        }
        Pipeline pipeline = build(r, "spec.", () -> new Pipeline(name, p.stages(), edges, required(p.sloMs(),
                "sloMs"), or(p.ratePerSecond(), 0.0)));
        PipelineWiring wiring = wiring(p);
        wiring.problem(pipeline).ifPresent(problem -> {
            throw new ResourceException(r.where() + ": spec.processing: " + problem, r.kind(), r.name());
        });
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).tensors() != null && wiring.processing() != PipelineWiring.Processing.TENSORS) {
                throw new ResourceException(r.where() + ": spec.edges[" + i + "].tensors: only a pipeline with "
                        + "processing 'tensors' maps tensors by name; 'ppocr' wires its stages itself", r.kind(),
                        r.name());
            }
        }
        return pipeline;
    }

    /** How the pipeline's tensors flow at the gateway. */
    private static PipelineWiring wiring(InferencePipelineSpec p) {
        Map<String, Map<String, String>> tensors = new LinkedHashMap<>();
        if (p.edges() != null) {
            for (PipelineEdgeSpec e : p.edges()) {
                if (e.tensors() != null && e.from() != null && e.to() != null) {
                    tensors.put(PipelineWiring.key(e.from(), e.to()), e.tensors());
                }
            }
        }
        return new PipelineWiring(p.processing() == PipelineProcessing.PPOCR ? PipelineWiring.Processing.PPOCR
                : PipelineWiring.Processing.TENSORS, tensors);
    }

    private static <T> T or(T value, T dflt) {
        return value == null ? dflt : value;
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": must be set");
        }
        return value;
    }

    /** Runs a record constructor; its "field: problem" message gets the resource and the field's path. */
    private static <T> T build(Resource r, String prefix, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw new ResourceException(r.where() + ": " + prefix + e.getMessage(), r.kind(), r.name());
        }
    }

    /** "models[1].allowedPools: ..." becomes "<file> InferenceModel 'vad': spec.allowedPools: ...". */
    static ResourceException locate(String message, List<Resource> resources) {
        for (String[] kinds : new String[][] {{"pools", Kinds.POOL}, {"models", Kinds.MODEL},
                {"pipelines", Kinds.PIPELINE}}) {
            Matcher m = Pattern.compile("^" + kinds[0] + "\\[(\\d+)\\]\\.?(.*)$").matcher(message);
            if (m.find()) {
                List<Resource> ofKind = resources.stream().filter(r -> r.kind().equals(kinds[1])).toList();
                int i = Integer.parseInt(m.group(1));
                if (i < ofKind.size()) {
                    Resource r = ofKind.get(i);
                    return new ResourceException(r.where() + ": spec." + m.group(2), r.kind(), r.name());
                }
            }
        }
        return new ResourceException(message);
    }
}
