package dev.stratus.control.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.catalog.CatalogException;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.testing.OnnxFiles;
import dev.stratus.testing.SampleModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InferenceModel documents with a {@code spec.source}, as the control service serves them: real files, inspected
 * with ONNX Runtime, written into the catalog the workers read.
 */
class DocumentSourcesTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void models() {
        SampleModels.ensureFetched();
    }

    static String model(String name, String source) {
        return """
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: %s}
                spec:
                  slo: {latencyMs: 200, percentile: 99}
                  expectedRatePerSecond: 10
                  source: %s
                """.formatted(name, source);
    }

    static List<ResourceReader.Resource> read(String... documents) {
        return ResourceReader.parse(String.join("---\n", documents), "config.yaml");
    }

    DocumentSources open(List<ResourceReader.Resource> docs, Optional<Path> modelsDir) {
        return DocumentSources.of(docs, modelsDir, tmp.resolve("work"), new PrintStream(new ByteArrayOutputStream()));
    }

    /** A file no catalog knows: inspected with the document's warm-up shapes, then in the workers' catalog. */
    @Test
    void aFileSourceIsInspectedAndWrittenIntoTheWorkersCatalog() throws Exception {
        Path file = OnnxFiles.withModelVersion(SampleModels.file("ocr-cls"), tmp.resolve("own.onnx"), 7);
        DocumentSources sources = open(read(model("own", "{uri: " + file + "}\n  inputShapes: {x: [1, 3, 48, 192]}"),
                model("vad", "null")), Optional.empty());
        assertTrue(sources.admitted("own"));
        assertFalse(sources.admitted("vad"), "a document without a source is served from the catalog");
        Path catalogFile = sources.catalogFile().orElseThrow();
        assertEquals(List.of("--catalog", catalogFile.toString()), sources.workerArgs());
        ModelCatalog written = ModelCatalog.read(catalogFile);
        ModelSpec own = written.require("own");
        assertEquals(List.of(1L, 3L, 48L, 192L), java.util.Arrays.stream(own.inputs().get(0).sampleShape()).boxed()
                .toList());
        assertEquals(file.toAbsolutePath().toString(), own.source().filePath());
        assertEquals(64, own.source().sha256().length(), "the checksum recorded: the workers check it on load");
        assertTrue(written.find("vad").isPresent(), "the samples stay in the catalog the workers read");
        // The plan's default max batch is the inspected model's, as the workers batch it.
        String pool = Files.readString(Path.of("examples/local/pool.yaml"));
        assertEquals(own.maxBatchSize(), ResourceReader.toSpec(read(pool, model("own", "{uri: " + file + "}")),
                sources.catalog()).request().model("own").maxBatch());
        assertTrue(sources.repository().isEmpty());
    }

    @Test
    void aFolderSourceIsTheRepository() throws Exception {
        Path repo = tmp.resolve("repo");
        OnnxFiles.copy(SampleModels.file("ocr-cls"), repo.resolve("mine/1/model.onnx"));
        DocumentSources sources = open(read(model("mine", "{uri: " + repo + "}\n  inputShapes: {x: [1, 3, 48, 192]}")),
                Optional.empty());
        assertEquals(Optional.of(repo.toAbsolutePath()), sources.repository());
        assertEquals(List.of(1L, 3L, 48L, 192L), java.util.Arrays.stream(sources.repositoryShapes().get("x")).boxed()
                .toList());
        assertTrue(sources.repositoryModels().containsKey("mine"));
        assertTrue(sources.catalogFile().isEmpty() && sources.workerArgs().isEmpty());
        RepositoryModels served = RepositoryModels.open(repo, sources.repositoryShapes(), java.util.Map.of(),
                tmp.resolve("work"), problem -> { });
        sources.check(served);
        CatalogException absent = assertThrows(CatalogException.class, () -> open(read(model("absent", "{uri: " + repo
                + "}")), Optional.empty()).check(served));
        assertTrue(absent.getMessage().endsWith("the repository serves no model 'absent' (it serves [mine]; each "
                + "reason is logged)"), absent.getMessage());
        // The same folder as --models-dir agrees; another does not.
        assertTrue(open(read(model("mine", "{uri: " + repo + "}")), Optional.of(repo)).repository().isEmpty());
        Path other = Files.createDirectories(tmp.resolve("other"));
        CatalogException e = assertThrows(CatalogException.class, () -> open(read(model("mine", "{uri: " + repo
                + "}")), Optional.of(other)));
        assertTrue(e.getMessage().startsWith("one model repository per service"), e.getMessage());
        assertTrue(e.getMessage().contains("InferenceModel 'mine' spec.source.uri names " + repo.toAbsolutePath()),
                e.getMessage());
    }

    /** A source that cannot be served stops the service, naming the document, the field and the file. */
    @Test
    void aBadSourceNamesTheDocumentAndTheFile() throws Exception {
        Path notAModel = Files.writeString(tmp.resolve("notes.onnx"), "not a model\n");
        CatalogException e = assertThrows(CatalogException.class, () -> open(read(model("bad", "{uri: " + notAModel
                + "}")), Optional.empty()));
        assertTrue(e.getMessage().contains("InferenceModel 'bad': spec.source: "), e.getMessage());
        assertTrue(e.getMessage().contains("not an ONNX model"), e.getMessage());
        CatalogException missing = assertThrows(CatalogException.class, () -> open(read(model("gone", "{uri: "
                + tmp.resolve("gone.onnx") + "}")), Optional.empty()));
        assertTrue(missing.getMessage().contains("InferenceModel 'gone': spec.source: "), missing.getMessage());
        assertFalse(Files.exists(tmp.resolve("work/documents.catalog.yaml")), "nothing written");
    }
}
