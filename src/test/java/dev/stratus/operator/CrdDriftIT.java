package dev.stratus.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs are the ones the build generates from the resource types (the operator SDK writes them to
 * target/kubernetes/ when the application is packaged, which is why this runs after packaging, as an IT).
 */
class CrdDriftIT {
    static final String REGENERATE = "regenerate with: ./stratus build && cp target/kubernetes/*.stratus.dev-v1.yml "
            + "operators/crds/ && cp operators/crds/*.yml helm/stratus/crds/";

    @Test
    void theCommittedCrdsAreTheGeneratedOnes() throws Exception {
        List<Path> generated;
        try (Stream<Path> files = Files.list(Path.of("target/kubernetes"))) {
            generated = files.filter(f -> f.getFileName().toString().endsWith(".stratus.dev-v1.yml")).sorted().toList();
        }
        assertEquals(3, generated.size(), "generated CRDs: " + generated);
        for (Path g : generated) {
            for (Path dir : List.of(Path.of("operators/crds"), Path.of("helm/stratus/crds"))) {
                Path committed = dir.resolve(g.getFileName());
                assertTrue(Files.exists(committed) && Files.mismatch(g, committed) == -1,
                        committed + " differs from the generated " + g + "; " + REGENERATE);
            }
        }
    }
}
