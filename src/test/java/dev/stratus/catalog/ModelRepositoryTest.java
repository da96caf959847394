package dev.stratus.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Triton model-repository layout as folders: what is served, and each thing that does not fit, named. */
class ModelRepositoryTest {
    @TempDir
    Path repo;

    Path model(String name, String version) throws IOException {
        Path file = repo.resolve(name).resolve(version).resolve(ModelRepository.MODEL_FILE);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "bytes of " + name + " " + version);
    }

    @Test
    void modelsAndVersionsInNumericOrder() throws IOException {
        model("my-classifier", "1");
        model("my-classifier", "10");
        model("my-classifier", "2");
        model("detector", "3");
        ModelRepository r = ModelRepository.scan(repo);
        assertEquals(List.of("detector", "my-classifier"), r.names());
        ModelRepository.Model m = r.model("my-classifier").orElseThrow();
        assertEquals(List.of("1", "2", "10"), m.versionNames());
        assertEquals("10", m.highest());
        assertEquals(repo.toAbsolutePath().resolve("my-classifier/2/model.onnx"), m.file("2").orElseThrow());
        assertEquals(List.of(), r.problems());
    }

    @Test
    void whatDoesNotFitIsSkippedAndNamed() throws IOException {
        model("good", "1");
        Files.createDirectories(repo.resolve("empty"));
        Files.createDirectories(repo.resolve("no-file/1"));
        model("Bad_Name", "1");
        model("good", "latest");
        Files.writeString(repo.resolve("loose.onnx"), "x");
        Files.writeString(repo.resolve("README.md"), "notes");
        model(".hidden", "1");
        ModelRepository r = ModelRepository.scan(repo);
        assertEquals(List.of("good"), r.names());
        String problems = String.join("\n", r.problems());
        assertTrue(problems.contains(repo.resolve("empty") + ": no model: expected"), problems);
        assertTrue(problems.contains(repo.resolve("no-file/1") + ": skipped: no model.onnx"), problems);
        assertTrue(problems.contains("Bad_Name: skipped: model name 'Bad_Name' must be a DNS-1123 label"), problems);
        assertTrue(problems.contains(repo.resolve("good/latest") + ": skipped: a version folder is named by a number"),
                problems);
        assertTrue(problems.contains("loose.onnx: a model file directly in the repository is not served; move it to "
                + repo.toAbsolutePath().resolve("loose/1/model.onnx")), problems);
        assertTrue(problems.contains(repo.resolve("no-file") + ": no model: expected"), problems);
        assertEquals(6, r.problems().size(), problems);
    }

    @Test
    void aRepositoryWithNoModelIsAnErrorNamingTheFolder() throws IOException {
        Files.createDirectories(repo.resolve("empty"));
        CatalogException e = assertThrows(CatalogException.class, () -> ModelRepository.scan(repo));
        assertTrue(e.getMessage().startsWith(repo + ": no model in this repository (expected "), e.getMessage());
        assertTrue(e.getMessage().contains("empty: no model"), e.getMessage());
        CatalogException missing = assertThrows(CatalogException.class,
                () -> ModelRepository.scan(repo.resolve("nope")));
        assertTrue(missing.getMessage().contains("nope: not a folder"), missing.getMessage());
    }

    @Test
    void oneModelsFolderIsNotARepository() throws IOException {
        model("my-classifier", "1");
        CatalogException e = assertThrows(CatalogException.class,
                () -> ModelRepository.scan(repo.resolve("my-classifier")));
        assertTrue(e.getMessage().contains("one model's folder") && e.getMessage().contains("give its parent"),
                e.getMessage());
    }

    @Test
    void namesAreDnsLabelsAndDerivedNamesFit() {
        assertEquals(java.util.Optional.empty(), ModelNames.problem("my-classifier"));
        assertTrue(ModelNames.problem("my_classifier").isPresent());
        assertTrue(ModelNames.problem("-x").isPresent());
        assertTrue(ModelNames.problem("x".repeat(64)).isPresent());
        assertEquals("ch-pp-ocrv4-det-infer", ModelNames.derive("ch_PP-OCRv4_det_infer.onnx"));
        assertEquals("hello-deepa", ModelNames.derive("hello_deepa.ONNX"));
        assertEquals("model", ModelNames.derive("__.onnx"));
    }
}
