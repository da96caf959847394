package dev.stratus.dataplane.worker.runtime;

import dev.stratus.catalog.CatalogException;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.ModelLocator;
import dev.stratus.catalog.ModelRepository;
import dev.stratus.catalog.UserCatalog;
import dev.stratus.core.model.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The models a worker serves, from what it was asked for: names of the catalog (the samples, the user's own
 * models, {@code --catalog}) and the models of a repository folder with all their versions. Also where a
 * repository model's versions are read again when it is reloaded. A model name found in the repository is served
 * from there; other names come from the catalog.
 */
public final class WorkerModels implements WorkerRuntime.Versions {
    /**
     * What was asked for.
     *
     * @param names        models to serve; empty means every model of the repository
     * @param warmUpShapes warm-up shapes by input name, applied to every inferred model that has such an input
     * @param pins         default version by model name
     */
    public record Selection(Optional<Path> catalog, Optional<Path> modelsDir, Optional<List<String>> names,
            Map<String, long[]> warmUpShapes, Map<String, String> pins) {
        public Selection {
            warmUpShapes = Map.copyOf(warmUpShapes);
            pins = Map.copyOf(pins);
        }
    }

    private final Selection selection;
    private final ModelLocator locator;
    private final Function<ModelEntry, ModelRuntime> runtimes;
    private final List<ServedModel> served;
    private final List<String> problems;

    private WorkerModels(Selection selection, ModelLocator locator, Function<ModelEntry, ModelRuntime> runtimes,
            List<ServedModel> served, List<String> problems) {
        this.selection = selection;
        this.locator = locator;
        this.runtimes = runtimes;
        this.served = List.copyOf(served);
        this.problems = List.copyOf(problems);
    }

    /**
     * @throws IllegalArgumentException when a name is in neither the catalog nor the repository, when nothing at
     *                                  all is asked for, or when a pin names a version the model does not have
     */
    public static WorkerModels of(Selection selection, Function<ModelEntry, ModelRuntime> runtimes) {
        ModelCatalog catalog = ModelCatalog.effective(selection.catalog(), UserCatalog.fromEnvironment());
        ModelLocator locator = new ModelLocator(catalog, ModelCache.fromEnvironment());
        List<String> problems = new ArrayList<>();
        Optional<ModelRepository> repository = selection.modelsDir().flatMap(dir -> scan(dir, problems));
        List<String> names = selection.names().orElseGet(() -> repository.map(ModelRepository::names)
                .orElse(List.of()));
        if (names.isEmpty()) {
            throw new IllegalArgumentException(selection.modelsDir().isPresent() ? String.join("; ", problems)
                    : "no models to serve: give --models NAME,... or --models-dir DIR");
        }
        Set<String> unique = new LinkedHashSet<>(names);
        List<ServedModel> served = new ArrayList<>();
        for (String name : unique) {
            Optional<ModelRepository.Model> fromRepository = repository.flatMap(r -> r.model(name));
            List<ModelEntry> entries;
            if (fromRepository.isPresent()) {
                entries = entries(fromRepository.get(), locator, selection.warmUpShapes());
            } else {
                ModelSpec spec = catalog.find(name).orElseThrow(() -> new IllegalArgumentException("unknown model '"
                        + name + "': the catalog has " + catalog.models().stream().map(ModelSpec::name).toList()
                        + selection.modelsDir().map(d -> " and " + d + " has " + repository.map(ModelRepository::names)
                                .orElse(List.of())).orElse("")));
                entries = List.of(ModelEntry.of(name, spec.version(), () -> locator.catalogModel(name),
                        selection.warmUpShapes(), spec.inputs()));
            }
            Optional<String> pin = Optional.ofNullable(selection.pins().get(name));
            if (pin.isPresent() && entries.stream().noneMatch(e -> e.version().equals(pin.get()))) {
                throw new IllegalArgumentException("default version " + pin.get() + " of model '" + name + "': no "
                        + "such version; it has " + entries.stream().map(ModelEntry::version).toList());
            }
            served.add(new ServedModel(name, entries.stream().map(runtimes).toList(), pin));
        }
        return new WorkerModels(selection, locator, runtimes, served, problems);
    }

    /** The repository, or empty after noting why there is none (the catalog's models may still serve). */
    private static Optional<ModelRepository> scan(Path dir, List<String> problems) {
        try {
            ModelRepository repository = ModelRepository.scan(dir);
            problems.addAll(repository.problems());
            return Optional.of(repository);
        } catch (CatalogException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }

    /** One entry per version of a repository model. */
    private static List<ModelEntry> entries(ModelRepository.Model model, ModelLocator locator,
            Map<String, long[]> warmUpShapes) {
        return model.versionNames().stream().map(v -> {
            Path file = model.file(v).orElseThrow();
            return ModelEntry.of(model.name(), v, () -> locator.file(model.name(), file), warmUpShapes, List.of());
        }).toList();
    }

    public List<ServedModel> served() {
        return served;
    }

    /** The models asked for by name (none when the whole repository was asked for): each must serve. */
    public Set<String> required() {
        return selection.names().map(Set::copyOf).orElse(Set.of());
    }

    /** What was skipped, one line each (repository folders that hold no model, misplaced files). */
    public List<String> problems() {
        return problems;
    }

    @Override
    public List<ModelEntry> current(String model) {
        Path dir = selection.modelsDir().orElseThrow(() -> new IllegalArgumentException("model '" + model
                + "' does not come from a model repository; there is nothing to reload"));
        ModelRepository repository;
        try {
            repository = ModelRepository.scan(dir);
        } catch (CatalogException e) {
            throw new IllegalArgumentException(e.getMessage() + "; the versions loaded keep serving");
        }
        ModelRepository.Model found = repository.model(model).orElseThrow(() -> new IllegalArgumentException(
                "model '" + model + "' has no versions in " + dir + " now; the versions loaded keep serving"));
        return entries(found, locator, selection.warmUpShapes());
    }

    @Override
    public ModelRuntime runtime(ModelEntry entry) {
        return runtimes.apply(entry);
    }
}
