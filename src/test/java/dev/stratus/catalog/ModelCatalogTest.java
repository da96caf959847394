package dev.stratus.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.DataType;
import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.OutputSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelCatalogTest {
    static final String ORIGIN = "test-catalog.yaml";
    static final String HEX = "0123456789abcdef".repeat(4);

    static final String X_INPUT = "{ name: x, datatype: FP32, shape: [1, 4], batchAxis: 0 }";
    static final String SOURCE = """
                source:
                  uri: "npm:pkg@1.0.0/a.onnx"
                  sha256: %s
            """.formatted(HEX);
    static final String VALID = """
            models:
              - name: m
                version: "2"
                description: a test model
                licence: MIT
            %s    maxBatchSize: 8
                inputs:
                  - %s
                  - { name: sr, datatype: INT64, shape: [], batchAxis: shared, sample: [16000] }
                outputs:
                  - { name: y, batchAxis: 0 }
            """.formatted(SOURCE, X_INPUT);

    static ModelCatalog parse(String yaml) {
        return ModelCatalog.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), ORIGIN);
    }

    /** VALID with one exact fragment replaced (checked to occur once, so a typo cannot make a case vacuous). */
    static String variant(String from, String to) {
        int at = VALID.indexOf(from);
        assertTrue(at >= 0 && VALID.indexOf(from, at + 1) < 0, "fixture should have '" + from + "' exactly once");
        return VALID.replace(from, to);
    }

    // ------------------------------------------------------------------ bundled catalog

    @Test
    void bundledCatalogHasTheSampleModelsInOrder() {
        ModelCatalog catalog = ModelCatalog.bundled();
        assertEquals(List.of("ocr-det", "ocr-cls", "ocr-rec", "vad", "wakeword"),
                catalog.models().stream().map(ModelSpec::name).toList());
    }

    @Test
    void bundledVadBatchesItsStateOnAxis1AndSharesTheSampleRate() {
        ModelSpec vad = ModelCatalog.bundled().require("vad");

        InputSpec state = vad.input("state").orElseThrow();
        assertEquals(1, state.batchAxis());
        assertTrue(state.batched());
        assertArrayEquals(new long[] {2, 1, 128}, state.sampleShape());

        InputSpec sr = vad.input("sr").orElseThrow();
        assertEquals(InputSpec.SHARED, sr.batchAxis());
        assertFalse(sr.batched());
        assertEquals(DataType.INT64, sr.datatype());
        assertArrayEquals(new long[0], sr.sampleShape());
        assertEquals(List.of(16000.0), sr.sampleValues());

        assertEquals(0, vad.input("input").orElseThrow().batchAxis());
        assertEquals(Optional.of(new OutputSpec("stateN", 1)), vad.output("stateN"));
        assertEquals(Optional.of(new OutputSpec("output", 0)), vad.output("output"));
        assertTrue(vad.batchable());
    }

    @Test
    void bundledWakewordIsFixedAtBatch1() {
        ModelSpec wakeword = ModelCatalog.bundled().require("wakeword");
        assertEquals(1, wakeword.maxBatchSize());
        assertFalse(wakeword.batchable());
    }

    @Test
    void bundledEntriesAreCompleteAndConsistent() {
        for (ModelSpec spec : ModelCatalog.bundled().models()) {
            assertTrue(spec.source().sha256().matches("[0-9a-f]{64}"), spec.name());
            assertFalse(spec.inputs().isEmpty(), spec.name());
            assertFalse(spec.outputs().isEmpty(), spec.name());
            for (InputSpec in : spec.inputs()) {
                if (in.batched()) {
                    assertEquals(1, in.sampleShape()[in.batchAxis()], spec.name() + "." + in.name());
                }
            }
        }
    }

    @Test
    void requireNamesWhatTheCatalogHas() {
        ModelCatalog catalog = ModelCatalog.bundled();
        assertEquals(Optional.empty(), catalog.find("nope"));
        CatalogException e = assertThrows(CatalogException.class, () -> catalog.require("nope"));
        assertTrue(e.getMessage().contains("unknown model 'nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("ocr-det, ocr-cls, ocr-rec, vad, wakeword"), e.getMessage());
    }

    @Test
    void loadWithoutAFileGivesTheBundledCatalog() {
        // InputSpec holds a long[] (record equality is by reference there), so compare what identifies a model.
        assertEquals(ModelCatalog.bundled().models().stream().map(m -> m.name() + "@" + m.source().sha256()).toList(),
                ModelCatalog.load(Optional.empty()).models().stream().map(m -> m.name() + "@" + m.source().sha256())
                        .toList());
    }

    @Test
    void loadReadsTheGivenFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("models.yaml"), VALID);
        assertEquals(List.of("m"), ModelCatalog.load(Optional.of(file)).models().stream().map(ModelSpec::name).toList());

        Path missing = dir.resolve("missing.yaml");
        CatalogException e = assertThrows(CatalogException.class, () -> ModelCatalog.load(Optional.of(missing)));
        assertTrue(e.getMessage().contains("cannot read model catalog " + missing), e.getMessage());
    }

    // ------------------------------------------------------------------ parsing

    @Test
    void validEntryIsParsedCompletely() {
        ModelSpec m = parse(VALID).require("m");

        assertEquals("2", m.version());
        assertEquals("a test model", m.description());
        assertEquals("MIT", m.licence());
        assertEquals("pkg", m.source().npmPackage());
        assertEquals("1.0.0", m.source().npmVersion());
        assertEquals("a.onnx", m.source().packagePath());
        assertEquals(HEX, m.source().sha256());
        assertEquals(8, m.maxBatchSize());
        InputSpec x = m.input("x").orElseThrow();
        assertEquals(DataType.FP32, x.datatype());
        assertArrayEquals(new long[] {1, 4}, x.sampleShape());
        assertEquals(0, x.batchAxis());
        assertEquals(List.of(), x.sampleValues());
        InputSpec sr = m.input("sr").orElseThrow();
        assertEquals(InputSpec.SHARED, sr.batchAxis());
        assertEquals(List.of(16000.0), sr.sampleValues());
        assertEquals(List.of(new OutputSpec("y", 0)), m.outputs());
    }

    @Test
    void versionDescriptionAndLicenceAreOptional() {
        ModelSpec m = parse(variant("    version: \"2\"\n    description: a test model\n    licence: MIT\n", ""))
                .require("m");
        assertEquals("1", m.version());
        assertEquals("", m.description());
        assertEquals("", m.licence());
    }

    @Test
    void uppercaseChecksumsAreTakenInLowercase() {
        assertEquals(HEX, parse(variant("sha256: " + HEX, "sha256: " + HEX.toUpperCase())).require("m").source()
                .sha256());
    }

    @Test
    void aRelativeLocalPathIsTakenFromTheCatalogsFolder(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("models.yaml"), variant("uri: \"npm:pkg@1.0.0/a.onnx\"",
                "uri: models/a.onnx"));
        ModelSpec m = ModelCatalog.read(file).require("m");
        assertEquals("file:" + dir.toAbsolutePath().resolve("models/a.onnx"), m.source().uri());
        assertEquals(HEX, m.source().sha256());
    }

    @Test
    void theCatalogWrittenAsYamlReadsBackTheSame(@TempDir Path dir) throws IOException {
        ModelCatalog original = ModelCatalog.bundled().with(parse(VALID));
        Path file = Files.writeString(dir.resolve("copy.yaml"), original.toYaml());
        ModelCatalog copy = ModelCatalog.read(file);
        assertEquals(original.toYaml(), copy.toYaml());
        ModelSpec vad = copy.require("vad");
        assertEquals(InputSpec.SHARED, vad.input("sr").orElseThrow().batchAxis());
        assertEquals(List.of(16000.0), vad.input("sr").orElseThrow().sampleValues());
        assertEquals(Optional.of(new OutputSpec("stateN", 1)), vad.output("stateN"));
        assertEquals(ModelCatalog.bundled().require("vad").source(), vad.source());
    }

    @Test
    void aUserCatalogIsLayeredOnTheSamplesAndWrittenAtomically(@TempDir Path dir) {
        UserCatalog user = new UserCatalog(dir.resolve("config/stratus/models.yaml"));
        assertEquals(List.of(), user.load().models(), "no file yet: no user models");
        ModelSpec m = parse(VALID).require("m");
        user.put(m);
        ModelCatalog effective = ModelCatalog.effective(Optional.empty(), user);
        assertEquals(List.of("ocr-det", "ocr-cls", "ocr-rec", "vad", "wakeword", "m"),
                effective.models().stream().map(ModelSpec::name).toList());
        assertEquals(UserCatalog.ORIGIN, effective.origin("m"));
        assertEquals(ModelCatalog.SAMPLES, effective.origin("vad"));
        assertEquals(Optional.of("m"), effective.findBySha256(HEX).map(ModelSpec::name));
        assertTrue(user.remove("m"));
        assertFalse(user.remove("m"));
        assertEquals(List.of(), user.load().models());
        try (Stream<Path> files = Files.list(user.file().getParent())) {
            assertEquals(List.of("models.yaml"), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file is left beside the catalog");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                // label, yaml, phrases the message must contain (besides the origin)
                Arguments.of("not YAML", "models: [", List.of("not valid YAML")),
                Arguments.of("no models list", "other: 1\n", List.of("top-level 'models' list")),
                Arguments.of("models not a list", "models: {a: 1}\n", List.of("top-level 'models' list")),
                Arguments.of("missing name", variant("  - name: m\n    version", "  - version"),
                        List.of("models[0]", "missing field 'name'")),
                Arguments.of("blank name", variant("name: m\n", "name: \"  \"\n"),
                        List.of("models[0].name", "non-empty")),
                Arguments.of("name not a DNS label", variant("name: m\n", "name: My_Model\n"),
                        List.of("models[0].name", "DNS-1123 label")),
                Arguments.of("missing source", variant(SOURCE, ""), List.of("(m)", "missing field 'source'")),
                Arguments.of("missing sha256", variant("      sha256: " + HEX + "\n", ""),
                        List.of("(m).source.sha256", "required for npm: sources")),
                Arguments.of("missing uri", variant("      uri: \"npm:pkg@1.0.0/a.onnx\"\n", ""),
                        List.of("(m).source", "missing field 'uri'")),
                Arguments.of("npm uri without a version", variant("npm:pkg@1.0.0/a.onnx", "npm:pkg/a.onnx"),
                        List.of("(m).source.uri", "npm:PACKAGE@VERSION/PATH")),
                Arguments.of("npm path escaping the package", variant("npm:pkg@1.0.0/a.onnx",
                        "npm:pkg@1.0.0/../a.onnx"), List.of("(m).source.uri", "no '.', '..'")),
                Arguments.of("unsupported scheme", variant("npm:pkg@1.0.0/a.onnx", "s3://bucket/a.onnx"),
                        List.of("(m).source.uri", "unsupported scheme 's3:'")),
                Arguments.of("URL without sha256", variant("uri: \"npm:pkg@1.0.0/a.onnx\"\n      sha256: " + HEX,
                        "uri: \"https://example.org/a.onnx\""), List.of("(m).source.sha256", "required for http(s):")),
                Arguments.of("unknown source field", variant("      sha256: " + HEX + "\n", "      sha256: " + HEX
                        + "\n      path: a.onnx\n"), List.of("(m).source.path", "unknown field")),
                Arguments.of("missing maxBatchSize", variant("    maxBatchSize: 8\n", ""),
                        List.of("(m)", "missing field 'maxBatchSize'")),
                Arguments.of("maxBatchSize not an integer", variant("maxBatchSize: 8", "maxBatchSize: lots"),
                        List.of("(m).maxBatchSize", "expected an integer")),
                Arguments.of("maxBatchSize 0", variant("maxBatchSize: 8", "maxBatchSize: 0"),
                        List.of("(m)", "maxBatchSize must be >= 1")),
                Arguments.of("missing inputs", variant("    inputs:\n      - " + X_INPUT + "\n      - { name: sr, "
                        + "datatype: INT64, shape: [], batchAxis: shared, sample: [16000] }\n", ""),
                        List.of("(m)", "missing field 'inputs'")),
                Arguments.of("inputs not a list", variant("    inputs:\n", "    inputs: 3\n    ignored:\n"),
                        List.of("(m).inputs", "expected a list")),
                Arguments.of("missing outputs", variant("    outputs:\n      - { name: y, batchAxis: 0 }\n", ""),
                        List.of("(m)", "missing field 'outputs'")),
                Arguments.of("output without batchAxis", variant("{ name: y, batchAxis: 0 }", "{ name: y }"),
                        List.of("(m).outputs", "missing field 'batchAxis'")),
                Arguments.of("output batchAxis not an integer", variant("{ name: y, batchAxis: 0 }",
                        "{ name: y, batchAxis: first }"), List.of("(m).outputs.batchAxis", "expected an integer")),
                Arguments.of("bad sha256", variant("sha256: " + HEX, "sha256: abc123"),
                        List.of("(m).source.sha256", "64 hex digits", "'abc123'")),
                Arguments.of("sha256 too long", variant("sha256: " + HEX, "sha256: " + HEX + "0"),
                        List.of("(m).source.sha256")),
                Arguments.of("unknown datatype", variant("datatype: FP32", "datatype: FOO"),
                        List.of("inputs (x).datatype", "unknown datatype 'FOO'")),
                Arguments.of("input without datatype", variant("datatype: FP32, ", ""),
                        List.of("inputs (x)", "missing field 'datatype'")),
                Arguments.of("input without shape", variant("shape: [1, 4], ", ""),
                        List.of("inputs (x)", "missing field 'shape'")),
                Arguments.of("input without batchAxis", variant("shape: [1, 4], batchAxis: 0 }", "shape: [1, 4] }"),
                        List.of("inputs (x)", "missing field 'batchAxis'")),
                Arguments.of("batchAxis word", variant("[1, 4], batchAxis: 0 }", "[1, 4], batchAxis: sideways }"),
                        List.of("inputs (x).batchAxis", "axis index or 'shared'")),
                Arguments.of("batchAxis quoted number", variant("[1, 4], batchAxis: 0 }", "[1, 4], batchAxis: \"0\" }"),
                        List.of("inputs (x).batchAxis", "axis index or 'shared'")),
                Arguments.of("batchAxis fractional", variant("[1, 4], batchAxis: 0 }", "[1, 4], batchAxis: 0.5 }"),
                        List.of("inputs (x).batchAxis", "axis index or 'shared'")),
                Arguments.of("batchAxis outside rank", variant("[1, 4], batchAxis: 0 }", "[1, 4], batchAxis: 2 }"),
                        List.of("inputs (x)", "batch axis 2 outside shape")),
                Arguments.of("batch dim of the sample shape != 1", variant("shape: [1, 4]", "shape: [2, 4]"),
                        List.of("inputs (x)", "must have size 1 on its batch axis 0")),
                Arguments.of("batch dim 4 on axis 1", variant("shape: [1, 4], batchAxis: 0", "shape: [1, 4], batchAxis: 1"),
                        List.of("inputs (x)", "must have size 1 on its batch axis 1")),
                Arguments.of("negative dim", variant("shape: [1, 4]", "shape: [1, -4]"),
                        List.of("inputs (x).shape", "non-negative integers")),
                Arguments.of("word dim", variant("shape: [1, 4]", "shape: [1, four]"),
                        List.of("inputs (x).shape", "non-negative integers")),
                Arguments.of("batchAxis -1 as a number", variant("[1, 4], batchAxis: 0 }", "[1, 4], batchAxis: -1 }"),
                        List.of("inputs (x).batchAxis", "axis index or 'shared'")),
                Arguments.of("non-numeric sample value", variant("[1, 4], batchAxis: 0 }",
                        "[1, 4], batchAxis: 0, sample: [fast] }"), List.of("inputs (x).sample", "expected numbers")),
                Arguments.of("fractional dim", variant("shape: [1, 4]", "shape: [1, 4.5]"),
                        List.of("inputs (x).shape", "non-negative integers")),
                Arguments.of("duplicate model names", VALID + VALID.substring(VALID.indexOf("  - name: m")),
                        List.of("models[1]", "duplicate model name 'm'")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformed")
    void malformedCatalogsAreRefusedNamingOriginAndField(String label, String yaml, List<String> phrases) {
        CatalogException e = assertThrows(CatalogException.class, () -> parse(yaml));
        String message = e.getMessage();
        assertTrue(message.startsWith(ORIGIN + ":"), "message should start with the origin: " + message);
        for (String phrase : phrases) {
            assertTrue(message.contains(phrase), "message '" + message + "' should contain '" + phrase + "'");
        }
    }

    @Test
    void twoDistinctModelsAreKeptInOrder() {
        String second = VALID.substring(VALID.indexOf("  - name: m")).replace("name: m", "name: n");
        ModelCatalog catalog = parse(VALID + second);
        assertEquals(List.of("m", "n"), catalog.models().stream().map(ModelSpec::name).toList());
    }
}
