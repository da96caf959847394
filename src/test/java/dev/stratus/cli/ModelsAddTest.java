package dev.stratus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.UserCatalog;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.testing.CliRun;
import dev.stratus.testing.OnnxFiles;
import dev.stratus.testing.SampleModels;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code stratus models add} as a user runs it, on real model files and a real HTTP server: what it infers and
 * writes, what it refuses (one line, nothing written), and {@code models list} showing the result.
 */
class ModelsAddTest {
    @TempDir
    static Path files;
    @TempDir
    Path home;
    static Path cls;
    static Path wakeword;
    static Path vad;

    /** Copies of the sample files, taken before each test points the model cache at its own folder. */
    @BeforeAll
    static void models() throws IOException {
        SampleModels.ensureFetched();
        cls = SampleModels.file("ocr-cls");
        vad = SampleModels.file("vad");
        wakeword = OnnxFiles.copy(SampleModels.file("wakeword"), files.resolve("ww.onnx"));
    }

    @BeforeEach
    void isolate() {
        System.setProperty(UserCatalog.PROPERTY, home.resolve("config/models.yaml").toString());
        System.setProperty(ModelCache.PROPERTY, home.resolve("cache/models").toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty(UserCatalog.PROPERTY);
        System.clearProperty(ModelCache.PROPERTY);
    }

    UserCatalog user() {
        return UserCatalog.fromEnvironment();
    }

    @Test
    void aLocalFileIsCheckedInferredAndAdded() throws IOException {
        Path file = OnnxFiles.withModelVersion(cls, files.resolve("repo/my-classifier/2/model.onnx"), 2);
        CliRun run = CliRun.of("models", "add", file.toString(), "--input-shape", "x=1,3,48,192");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("model my-classifier version 2"), "name and version from the layout: "
                + run.out());
        assertTrue(run.out().contains("input    x                    FP32   one item [1, 3, 48, 192], batch axis 0"),
                run.out());
        assertTrue(run.out().contains("batching batched on the leading dimension of every input and output, up to 64"),
                run.out());
        ModelSpec added = user().load().require("my-classifier");
        assertEquals("2", added.version());
        assertEquals("file:" + file.toAbsolutePath(), added.source().uri());
        assertEquals(ModelCache.sha256(file), added.source().sha256(), "a local file's checksum is recorded");
        assertEquals(List.of(1L, 3L, 48L, 192L), java.util.Arrays.stream(added.input("x").orElseThrow()
                .sampleShape()).boxed().toList());

        CliRun list = CliRun.of("models", "list");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.matches("my-classifier\\s+2\\s+user\\s+64\\s+yes\\s+.*")),
                list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.matches("vad\\s+1\\s+sample\\s+64\\s+.*")), list.out());

        CliRun again = CliRun.of("models", "add", file.toString(), "--input-shape", "x=1,3,48,192");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("model 'my-classifier' is already in your catalog"), again.err());
        assertEquals(0, CliRun.of("models", "remove", "my-classifier").code());
        assertTrue(user().load().find("my-classifier").isEmpty());
    }

    @Test
    void helpListsTheOptions() {
        CliRun help = CliRun.of("models", "add", "--help");
        assertEquals(0, help.code(), help.err());
        for (String option : List.of("SOURCE", "--name", "--sha256", "--input-shape", "--model-version")) {
            assertTrue(help.out().contains(option), help.out());
        }
    }

    @Test
    void aLocalFileThatChangedOrWentIsReportedByListAndFetch() throws IOException {
        Path file = OnnxFiles.copy(wakeword, files.resolve("changing/ww.onnx"));
        assertEquals(0, CliRun.of("models", "add", file.toString(), "--name", "ww-local").code());
        Files.write(file, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        CliRun list = CliRun.of("models", "list", "--models", "ww-local");
        assertTrue(list.out().lines().anyMatch(l -> l.matches("ww-local\\s+1\\s+user\\s+1\\s+CHANGED\\s+.*")),
                list.out());
        CliRun fetch = CliRun.of("models", "fetch", "--models", "ww-local");
        assertEquals(1, fetch.code(), fetch.out() + fetch.err());
        assertTrue(fetch.out().contains("ww-local   MISSING    " + file + ": sha256 is "), fetch.out());
        assertTrue(fetch.out().contains("1 local file(s) MISSING or changed"), fetch.out());
        Files.delete(file);
        assertTrue(CliRun.of("models", "list").out().lines().anyMatch(l -> l.matches(
                "ww-local\\s+1\\s+user\\s+1\\s+MISSING\\s+.*")));
    }

    @Test
    void aCopyOfASampleModelGetsTheSampleEntryWithoutConfiguration() throws IOException {
        Path copy = OnnxFiles.copy(vad, files.resolve("my-vad.onnx"));
        CliRun run = CliRun.of("models", "add", copy.toString());
        assertEquals(0, run.code(), run.err());
        ModelSpec added = user().load().require("my-vad");
        assertEquals(InputSpec.SHARED, added.input("sr").orElseThrow().batchAxis());
        assertEquals(List.of(16000.0), added.input("sr").orElseThrow().sampleValues());
        assertTrue(run.out().contains("entry 'vad' of samples, same sha256"), run.out());
    }

    @Test
    void aUrlIsDownloadedCheckedAndCached() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] bytes = Files.readAllBytes(wakeword);
        server.createContext("/models/hello.onnx", exchange -> {
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/models/hello.onnx";
            String sha = ModelCache.sha256(wakeword);

            CliRun noSha = CliRun.of("models", "add", url);
            assertEquals(1, noSha.code());
            assertTrue(noSha.err().contains("--sha256: required for http(s): sources"), noSha.err());

            CliRun wrong = CliRun.of("models", "add", url, "--sha256", "0".repeat(64));
            assertEquals(1, wrong.code());
            assertTrue(wrong.err().contains("checksum mismatch for model 'hello'") && wrong.err().contains(
                    "nothing was stored"), wrong.err());
            assertNothingWritten();

            CliRun missing = CliRun.of("models", "add", url.replace("hello", "gone"), "--sha256", sha);
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("failed: HTTP 404"), missing.err());

            CliRun ok = CliRun.of("models", "add", url, "--sha256", sha, "--name", "hello-deepa");
            assertEquals(0, ok.code(), ok.err());
            assertTrue(ok.out().contains("batching batch 1, as the catalog says (entry 'wakeword' of samples, "
                    + "same sha256)"), ok.out());
            ModelSpec added = user().load().require("hello-deepa");
            assertEquals(url, added.source().uri());
            assertEquals(sha, ModelCache.sha256(home.resolve("cache/models/hello-deepa.onnx")),
                    "the download is published into the cache");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anNpmPackageFileIsFetchedCheckedAndCached() {
        ModelSpec sample = SampleModels.spec("wakeword");
        CliRun run = CliRun.of("models", "add", sample.source().uri(), "--sha256", sample.source().sha256(),
                "--name", "hello-npm");
        assertEquals(0, run.code(), run.out() + run.err());
        assertEquals(sample.source().uri(), user().load().require("hello-npm").source().uri());
        assertTrue(Files.isRegularFile(home.resolve("cache/models/hello-npm.onnx")));
        CliRun noSha = CliRun.of("models", "add", sample.source().uri(), "--name", "other");
        assertEquals(1, noSha.code());
        assertTrue(noSha.err().contains("--sha256: required for npm: sources"), noSha.err());
    }

    static Stream<Arguments> refused() throws IOException {
        Path bad = Files.createDirectories(files.resolve("bad"));
        return Stream.of(
                // label, arguments after "models add", phrases of the one-line error
                Arguments.of("not ONNX", List.of(Files.writeString(bad.resolve("notes.onnx"), "notes").toString()),
                        List.of("notes.onnx: not an ONNX model")),
                Arguments.of("truncated", List.of(OnnxFiles.truncated(cls, bad.resolve("cut.onnx"), 9000)
                        .toString()), List.of("cut.onnx: a damaged or truncated ONNX model")),
                Arguments.of("checksum mismatch", List.of(wakeword.toString(), "--sha256", "1".repeat(64)),
                        List.of(wakeword + ": sha256 is ", "not the 1111")),
                Arguments.of("strings", List.of(OnnxFiles.identity(bad.resolve("strings.onnx"), OnnxFiles.STRING, -1)
                        .toString()), List.of("strings.onnx: input 'x' has datatype BYTES (strings)")),
                Arguments.of("missing warm-up shape", List.of(OnnxFiles.withModelVersion(cls, bad.resolve(
                        "dyn.onnx"), 5).toString()), List.of("dyn.onnx: input 'x': dimensions 2 and 3",
                        "--input-shape x=1,3,H,W")),
                Arguments.of("a repository folder", List.of(bad.toString()), List.of("a folder", "--models-dir")),
                Arguments.of("no such file", List.of(bad.resolve("nope.onnx").toString()), List.of("no such file")),
                Arguments.of("a sample's name", List.of(wakeword.toString(), "--name", "vad"),
                        List.of("'vad' is the name of a sample model")),
                Arguments.of("a bad name", List.of(wakeword.toString(), "--name", "My_Model"),
                        List.of("DNS-1123 label")),
                Arguments.of("an unsupported scheme", List.of("s3://bucket/m.onnx"),
                        List.of("unsupported scheme 's3:'")),
                Arguments.of("a bad warm-up shape", List.of(wakeword.toString(), "--input-shape", "x=1,a"),
                        List.of("dims must be integers")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refused")
    void badInputIsOneLineAndWritesNothing(String label, List<String> args, List<String> phrases) {
        String[] all = Stream.concat(Stream.of("models", "add"), args.stream()).toArray(String[]::new);
        CliRun run = CliRun.of(all);
        assertEquals(1, run.code(), run.out() + run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), "one line on the console: " + run.err());
        assertTrue(lines.get(0).startsWith("error: "), run.err());
        for (String phrase : phrases) {
            assertTrue(run.err().contains(phrase), "'" + run.err() + "' should contain '" + phrase + "'");
        }
        assertFalse(run.err().contains("\tat "), "no stack trace on the console");
        assertNothingWritten();
    }

    private void assertNothingWritten() {
        assertFalse(Files.exists(user().file()), "the user catalog is not written");
        try (Stream<Path> cached = Files.exists(home.resolve("cache/models")) ? Files.list(home.resolve(
                "cache/models")) : Stream.empty()) {
            assertEquals(List.of(), cached.toList(), "nothing is left in the model cache");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
