package dev.stratus.control.repository;

import dev.stratus.catalog.CatalogException;
import dev.stratus.catalog.InputShapes;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.ModelLocator;
import dev.stratus.catalog.ModelRepository;
import dev.stratus.catalog.UserCatalog;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.dataplane.worker.onnx.OnnxEngineFactory;
import dev.stratus.dataplane.worker.runtime.ModelEntry;
import dev.stratus.dataplane.worker.runtime.ModelInspection;
import dev.stratus.resource.InferenceModelSpec;
import dev.stratus.resource.Kinds;
import dev.stratus.resource.SloSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The models of a repository folder as the control service serves them ({@code stratus serve --models-dir}):
 * each model's default version (pinned, else the highest) checked the way a worker serves it, an InferenceModel
 * resource for it (the config's document of the same name when there is one, else defaults), and the entry of
 * that version written as a catalog file, so that the profiler measures exactly that file. A model whose default
 * version cannot be served is reported on one line and left out; the others are served.
 */
public final class RepositoryModels {
    /** The objective a repository model gets without a document: interactive, and met by most CPU models. */
    public static final double DEFAULT_SLO_MS = 200;
    public static final double DEFAULT_RATE_PER_SECOND = 10;

    /** One served model: its default version and that version's entry. */
    public record Served(String name, String version, ModelSpec spec, String batching) {
    }

    private final Path dir;
    private final Map<String, long[]> warmUpShapes;
    private final Map<String, String> pins;
    private final Path workDir;
    private final ModelLocator locator;
    private final Map<String, Served> served = new LinkedHashMap<>();

    private RepositoryModels(Path dir, Map<String, long[]> warmUpShapes, Map<String, String> pins, Path workDir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.warmUpShapes = Map.copyOf(warmUpShapes);
        this.pins = Map.copyOf(pins);
        this.workDir = workDir;
        this.locator = new ModelLocator(ModelCatalog.effective(Optional.empty(), UserCatalog.fromEnvironment()),
                ModelCache.fromEnvironment());
    }

    /**
     * Scans and checks the repository; {@code problems} hears one line per folder or model left out.
     *
     * @throws CatalogException when no model of the folder can be served
     */
    public static RepositoryModels open(Path dir, Map<String, long[]> warmUpShapes, Map<String, String> pins,
            Path workDir, Consumer<String> problems) {
        RepositoryModels models = new RepositoryModels(dir, warmUpShapes, pins, workDir);
        ModelRepository repository = ModelRepository.scan(dir);
        repository.problems().forEach(problems);
        for (ModelRepository.Model m : repository.models()) {
            try {
                models.served.put(m.name(), models.check(m));
            } catch (IllegalArgumentException e) {
                problems.accept("model " + m.name() + " is not served: " + e.getMessage());
            }
        }
        if (models.served.isEmpty()) {
            throw new CatalogException(dir + ": no model of this repository can be served (each reason is logged)");
        }
        return models;
    }

    /** The default version of a model of the folder, checked; throws naming the file and problem. */
    Served check(ModelRepository.Model model) {
        String version = defaultVersion(model);
        Path file = model.file(version).orElseThrow(() -> new IllegalArgumentException("version " + version
                + " pinned as the default is not in " + model.dir() + " (it has " + model.versionNames() + ")"));
        ModelInspection.Result r = ModelInspection.inspect(ModelEntry.of(model.name(), version,
                () -> locator.file(model.name(), file), warmUpShapes, List.of()), new OnnxEngineFactory());
        return new Served(model.name(), version, r.spec(), r.batching());
    }

    String defaultVersion(ModelRepository.Model model) {
        return pins.getOrDefault(model.name(), model.highest());
    }

    Optional<String> pinned(String model) {
        return Optional.ofNullable(pins.get(model));
    }

    public Path dir() {
        return dir;
    }

    public List<String> names() {
        return List.copyOf(served.keySet());
    }

    public Optional<Served> served(String model) {
        return Optional.ofNullable(served.get(model));
    }

    void update(Served now) {
        served.put(now.name(), now);
    }

    /**
     * The resources to serve: the config's pools and pipelines, one InferenceModel per repository model (the
     * config's document of that name when there is one, else the defaults; the batch limit from the model), and
     * the config's models served from a file of their own ({@code ownSource}). The config's other models are left
     * out: the repository says what is served.
     */
    public List<ResourceReader.Resource> resources(List<ResourceReader.Resource> config, Predicate<String> ownSource,
            Consumer<String> notes) {
        List<ResourceReader.Resource> out = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (ResourceReader.Resource r : config) {
            if (!r.kind().equals(Kinds.MODEL) || (ownSource.test(r.name()) && !served.containsKey(r.name()))) {
                out.add(r);
            } else if (!served.containsKey(r.name())) {
                left.add(r.name());
            }
        }
        if (!left.isEmpty()) {
            notes.accept("serving the models of " + dir + "; the config's other models " + left + " are not served");
        }
        for (Served s : served.values()) {
            Optional<ResourceReader.Resource> doc = config.stream().filter(r -> r.kind().equals(Kinds.MODEL)
                    && r.name().equals(s.name())).findFirst();
            InferenceModelSpec spec = doc.map(r -> (InferenceModelSpec) r.spec()).orElseGet(RepositoryModels::defaults);
            if (spec.maxBatch() == null) {
                spec = spec.withMaxBatch(s.spec().maxBatchSize());
            }
            out.add(new ResourceReader.Resource(Kinds.MODEL, s.name(), spec, doc.map(ResourceReader.Resource::origin)
                    .orElse(dir.resolve(s.name()).toString())));
        }
        return out;
    }

    private static InferenceModelSpec defaults() {
        return new InferenceModelSpec(null, new SloSpec(DEFAULT_SLO_MS, 99.0, null), DEFAULT_RATE_PER_SECOND, null,
                null, null, null, null, null);
    }

    /**
     * A catalog file holding the model's default version as it is served (file, checksum, inputs, batching), for
     * the profiler's worker, which then loads exactly that file.
     */
    public Optional<Path> catalogFor(String model) {
        return Optional.ofNullable(served.get(model)).flatMap(s -> catalogFor(model, s));
    }

    Optional<Path> catalogFor(String model, Served s) {
        try {
            Files.createDirectories(workDir);
            Path file = workDir.resolve(model + "-" + s.version() + ".catalog.yaml");
            Files.writeString(file, ModelCatalog.empty().with(s.spec(), "repository").toYaml());
            return Optional.of(file);
        } catch (IOException e) {
            throw new CatalogException("cannot write " + workDir + ": " + e.getMessage());
        }
    }

    /** A profile of a served version, its note naming the version and file it was measured on. */
    public static Profile noted(Profile p, Served version) {
        return new Profile(p.model(), p.provenance().withNote("repository model " + version.name() + " version "
                + version.version() + ", sha256 " + version.spec().source().sha256()), p.batches(), p.fit(),
                p.coldStart(), p.coldStartCached());
    }

    /** Arguments every worker gets: the repository, the warm-up shapes and the pinned versions. */
    public List<String> workerArgs() {
        List<String> args = new ArrayList<>(List.of("--models-dir", dir.toString()));
        InputShapes.format(warmUpShapes).forEach(s -> args.addAll(List.of("--input-shape", s)));
        pins.forEach((m, v) -> args.addAll(List.of("--default-version", m + "=" + v)));
        return args;
    }
}
