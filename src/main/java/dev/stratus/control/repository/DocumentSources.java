package dev.stratus.control.repository;

import dev.stratus.catalog.CatalogException;
import dev.stratus.catalog.InputShapes;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.UserCatalog;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.core.model.ModelSource;
import dev.stratus.dataplane.worker.runtime.ModelInspection;
import dev.stratus.resource.InferenceModelSpec;
import dev.stratus.resource.Kinds;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The InferenceModel documents that say where their model comes from ({@code spec.source}), served in local mode.
 * A file, URL or npm source is admitted as {@code stratus models add} admits one ({@link ModelAdmission}: fetched,
 * checked, inspected) and its entry written into one catalog file that the workers and the profiler read
 * ({@code --catalog}), so that they serve and measure exactly that file; a folder source is a model repository
 * holding the model ({@code <folder>/<model>/<version>/model.onnx}), served as {@code --models-dir} serves one. A
 * source that cannot be served stops the service with the document and field named: the document asked for it.
 */
public final class DocumentSources {
    private final ModelCatalog catalog;
    private final Map<String, ModelInspection.Result> admitted;
    private final Optional<Path> repository;
    private final Map<String, long[]> repositoryShapes;
    private final Optional<Path> catalogFile;
    private final Map<String, String> folderModels;

    private DocumentSources(ModelCatalog catalog, Map<String, ModelInspection.Result> admitted,
            Optional<Path> repository, Map<String, long[]> repositoryShapes, Optional<Path> catalogFile,
            Map<String, String> folderModels) {
        this.folderModels = Map.copyOf(folderModels);
        this.catalog = catalog;
        this.admitted = Map.copyOf(admitted);
        this.repository = repository;
        this.repositoryShapes = Map.copyOf(repositoryShapes);
        this.catalogFile = catalogFile;
    }

    /**
     * Admits the documents' file sources and finds their repository folder.
     *
     * @param modelsDir the service's {@code --models-dir}, which a folder source must agree with
     * @param workDir   where the generated catalog is written
     * @throws CatalogException naming the document and field when a source cannot be served, or when folder
     *                          sources name more than one repository
     */
    public static DocumentSources of(List<ResourceReader.Resource> documents, Optional<Path> modelsDir, Path workDir,
            PrintStream progress) {
        ModelCatalog base = ModelCatalog.effective(Optional.empty(), UserCatalog.fromEnvironment());
        ModelCache cache = ModelCache.fromEnvironment();
        Map<String, ModelInspection.Result> admitted = new LinkedHashMap<>();
        Map<Path, String> folders = new LinkedHashMap<>();
        modelsDir.ifPresent(d -> folders.put(d.toAbsolutePath().normalize(), "--models-dir"));
        Map<String, long[]> repositoryShapes = new LinkedHashMap<>();
        Map<String, String> folderModels = new LinkedHashMap<>();
        for (ResourceReader.Resource r : documents) {
            if (!r.kind().equals(Kinds.MODEL) || ((InferenceModelSpec) r.spec()).source() == null) {
                continue;
            }
            InferenceModelSpec spec = (InferenceModelSpec) r.spec();
            ModelSource source = spec.source().toModelSource();
            Map<String, long[]> shapes = InputShapes.of(spec.inputShapes());
            Optional<Path> folder = folder(source);
            if (folder.isPresent()) {
                folders.putIfAbsent(folder.get(), r.where() + " spec.source.uri");
                folderModels.put(r.name(), r.where() + " spec.source.uri " + folder.get());
                repositoryShapes.putAll(shapes);
                continue;
            }
            progress.printf("Checking %s for %s%n", source.display(), r.where());
            try {
                admitted.put(r.name(), ModelAdmission.admit(r.name(), "1", source, shapes, base, cache, progress));
            } catch (IllegalArgumentException | CatalogException e) {
                throw new CatalogException(r.where() + ": spec.source: " + e.getMessage(), e);
            }
        }
        if (folders.size() > 1) {
            throw new CatalogException("one model repository per service, but " + folders.entrySet().stream()
                    .map(e -> e.getValue() + " names " + e.getKey()).toList() + "; put the models in one folder");
        }
        Optional<Path> repository = modelsDir.isPresent() ? Optional.empty() : folders.keySet().stream().findFirst();
        ModelCatalog served = base;
        for (ModelInspection.Result a : admitted.values()) {
            served = served.with(a.spec(), "spec.source");
        }
        return new DocumentSources(served, admitted, repository, repositoryShapes,
                admitted.isEmpty() ? Optional.empty() : Optional.of(write(served, workDir)), folderModels);
    }

    /** The folder a local source names, when it is one: a model repository. */
    static Optional<Path> folder(ModelSource source) {
        if (source.kind() != ModelSource.Kind.FILE) {
            return Optional.empty();
        }
        Path path = Path.of(source.filePath()).toAbsolutePath().normalize();
        return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
    }

    private static Path write(ModelCatalog catalog, Path workDir) {
        try {
            Files.createDirectories(workDir);
            Path file = workDir.resolve("documents.catalog.yaml");
            Files.writeString(file, catalog.toYaml());
            return file;
        } catch (IOException e) {
            throw new CatalogException("cannot write " + workDir + ": " + e.getMessage());
        }
    }

    /** The repository a folder source names, when {@code --models-dir} gave none. */
    public Optional<Path> repository() {
        return repository;
    }

    /** The warm-up shapes of the documents whose source is the repository, for its models. */
    public Map<String, long[]> repositoryShapes() {
        return repositoryShapes;
    }

    /** Every entry the workers read: the samples, the user's own models and the admitted ones. */
    public ModelCatalog catalog() {
        return catalog;
    }

    /** The catalog file the workers and the profiler read, when a document has a file source. */
    public Optional<Path> catalogFile() {
        return catalogFile;
    }

    /** Whether this document's model is served from its own file source (not from the repository). */
    public boolean admitted(String model) {
        return admitted.containsKey(model);
    }

    /** Arguments every worker gets: the generated catalog, when there is one. */
    public List<String> workerArgs() {
        List<String> args = new ArrayList<>();
        catalogFile.ifPresent(f -> args.addAll(List.of("--catalog", f.toString())));
        return args;
    }

    /**
     * Checks the documents against the repository being served: each document naming it as its source has a model
     * there that can be served, and no model comes both from a file source and from the repository.
     */
    public void check(RepositoryModels repository) {
        folderModels.forEach((model, where) -> {
            if (repository.served(model).isEmpty()) {
                throw new CatalogException(where + ": the repository serves no model '" + model + "' (it serves "
                        + repository.names() + "; each reason is logged)");
            }
        });
        for (String model : repository.names()) {
            if (admitted(model)) {
                throw new CatalogException("model '" + model + "' comes both from its document's spec.source and "
                        + "from the repository " + repository.dir() + "; keep one");
            }
        }
    }

    /**
     * The models whose documents name the repository folder, by where they were written; each must be one of the
     * repository's served models.
     */
    public Map<String, String> repositoryModels() {
        return folderModels;
    }
}
