package dev.stratus.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.testing.SampleModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching a model over real HTTP: verified, published atomically, idempotent, and nothing left on failure. */
class ModelFetcherHttpTest {
    @TempDir
    Path dir;
    HttpServer server;
    byte[] model;

    @BeforeEach
    void serve() throws IOException {
        model = Files.readAllBytes(SampleModels.file("wakeword"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/m.onnx", exchange -> {
            exchange.sendResponseHeaders(200, model.length);
            exchange.getResponseBody().write(model);
            exchange.close();
        });
        // Announces the whole file, then the connection ends half-way: an interrupted download.
        server.createContext("/cut.onnx", exchange -> {
            exchange.sendResponseHeaders(200, model.length);
            exchange.getResponseBody().write(Arrays.copyOf(model, model.length / 2));
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    ModelSpec spec(String path, String sha) {
        ModelSpec ww = SampleModels.spec("wakeword");
        return new ModelSpec("hello", "1", "", "", ModelSource.parse("http://127.0.0.1:"
                + server.getAddress().getPort() + path, sha), ww.inputs(), ww.outputs(), 1);
    }

    ModelFetcher fetcher() {
        return new ModelFetcher(new ModelCache(dir), Map.of(), new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void downloadsVerifiesAndSecondRunDownloadsNothing() {
        String sha = ModelCache.sha256(SampleModels.file("wakeword"));
        assertEquals(ModelFetcher.Outcome.DOWNLOADED, fetcher().fetch(List.of(spec("/m.onnx", sha))).get(0)
                .outcome());
        assertEquals(ModelFetcher.Outcome.CACHED, fetcher().fetch(List.of(spec("/m.onnx", sha))).get(0).outcome());
        assertEquals(List.of("hello.onnx"), listing());
    }

    @Test
    void aMismatchAnInterruptedDownloadOrA404LeaveNothing() {
        String sha = ModelCache.sha256(SampleModels.file("wakeword"));
        CatalogException mismatch = assertThrows(CatalogException.class,
                () -> fetcher().fetch(List.of(spec("/m.onnx", "0".repeat(64)))));
        assertTrue(mismatch.getMessage().contains("checksum mismatch for model 'hello'"), mismatch.getMessage());
        CatalogException cut = assertThrows(CatalogException.class,
                () -> fetcher().fetch(List.of(spec("/cut.onnx", sha))));
        assertTrue(cut.getMessage().contains("/cut.onnx failed"), cut.getMessage());
        CatalogException missing = assertThrows(CatalogException.class,
                () -> fetcher().fetch(List.of(spec("/none.onnx", sha))));
        assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
        assertEquals(List.of(), listing(), "no partial, unverified or staging file is left");
    }

    private List<String> listing() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
