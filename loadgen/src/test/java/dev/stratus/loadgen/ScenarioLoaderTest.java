package dev.stratus.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioLoaderTest {
    static final Path SCENARIOS = Path.of("scenarios");
    static final String MODEL = """
              - name: vad
                sloMs: 50
                inputs:
                  - { name: input, datatype: FP32, shape: [1, 512] }
            """;
    static final String POISSON = "arrival: { process: poisson, rate: 10 }\n";

    static String scenario(String arrival, String models) {
        return "name: t\ndurationSeconds: 10\n" + arrival + "models:\n" + models;
    }

    static Stream<Path> bundled() throws IOException {
        try (Stream<Path> files = Files.list(SCENARIOS)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundled")
    void bundledScenariosLoadAndSchedule(Path file) throws IOException {
        Scenario s = ScenarioLoader.load(file);
        assertFalse(s.models().isEmpty());
        assertNotNull(s.target());
        assertFalse(new Schedule(s.withDurationSeconds(5)).drain().isEmpty(), file + " schedules nothing");
    }

    @Test
    void bundledScenarioSetIsComplete() throws IOException {
        assertEquals(List.of("bursty.yaml", "diurnal.yaml", "mmpp.yaml", "spike.yaml", "steady.yaml", "trace.yaml"),
                bundled().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void burstyIsAStepToThreeTimesTheBaseAndBackOverVadAndOcrCls() throws IOException {
        Scenario s = ScenarioLoader.load(SCENARIOS.resolve("bursty.yaml"));
        assertEquals(List.of("vad", "ocr-cls"), s.models().stream().map(ModelSpec::name).toList());
        ArrivalSpec.Step step = assertInstanceOf(ArrivalSpec.Step.class, s.arrival());
        List<ArrivalSpec.Phase> p = step.phases();
        assertEquals(3, p.size());
        assertEquals(3 * p.get(0).rate(), p.get(1).rate());
        assertEquals(p.get(0).rate(), p.get(2).rate());
        assertEquals(30, p.get(2).atSeconds() - p.get(1).atSeconds());
        assertEquals(120, s.durationSeconds());
        InputSpec sr = s.models().get(0).inputs().get(2);
        assertEquals(new InputSpec("sr", Datatype.INT64, List.of(), 16000.0), sr);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("missing name", "durationSeconds: 10\n" + POISSON + "models:\n" + MODEL, "name"),
                Arguments.of("zero duration", "name: t\ndurationSeconds: 0\n" + POISSON + "models:\n" + MODEL,
                        "durationSeconds"),
                Arguments.of("no models", "name: t\ndurationSeconds: 5\n" + POISSON + "models: []\n", "models"),
                Arguments.of("unknown top-level field", "nmae: t\n" + scenario(POISSON, MODEL), "nmae"),
                Arguments.of("bad target", "target: localhost:8080\n" + scenario(POISSON, MODEL), "target"),
                Arguments.of("unknown process", scenario("arrival: { process: uniform, rate: 1 }\n", MODEL),
                        "arrival.process"),
                Arguments.of("rate not a number", scenario("arrival: { process: poisson, rate: fast }\n", MODEL),
                        "arrival.rate"),
                Arguments.of("gamma cv zero in second model", scenario(POISSON, MODEL + """
                          - name: ocr-cls
                            sloMs: 100
                            arrival: { process: gamma, rate: 5, cv: 0 }
                            inputs: [{ name: x, datatype: FP32, shape: [1, 3, 48, 192] }]
                        """), "models[1].arrival.cv"),
                Arguments.of("mmpp needs two rates", scenario(
                        "arrival: { process: mmpp, rates: [1, 2, 3], meanDwellSeconds: [1, 1] }\n", MODEL),
                        "arrival.rates"),
                Arguments.of("mmpp dwell zero", scenario(
                        "arrival: { process: mmpp, rates: [1, 2], meanDwellSeconds: [1, 0] }\n", MODEL),
                        "arrival.meanDwellSeconds[1]"),
                Arguments.of("diurnal amplitude above 1", scenario(
                        "arrival: { process: diurnal, baseRate: 5, amplitude: 1.5, periodSeconds: 60 }\n", MODEL),
                        "arrival.amplitude"),
                Arguments.of("step not starting at 0", scenario(
                        "arrival: { process: step, phases: [{ atSeconds: 5, rate: 1 }] }\n", MODEL),
                        "arrival.phases[0].atSeconds"),
                Arguments.of("step phases out of order", scenario("arrival: { process: step, phases: "
                        + "[{ atSeconds: 0, rate: 1 }, { atSeconds: 0, rate: 2 }] }\n", MODEL),
                        "arrival.phases[1].atSeconds"),
                Arguments.of("trace file missing", scenario(
                        "arrival: { process: trace, file: nope.csv, meanRate: 5 }\n", MODEL), "arrival.file"),
                Arguments.of("trace start beyond its end", scenario("arrival: { process: trace, file: "
                        + "azure-functions-sample.synthetic.csv, meanRate: 5, startMinute: 1440 }\n", MODEL),
                        "arrival.startMinute"),
                Arguments.of("no arrival anywhere", scenario("", MODEL), "models[0].arrival"),
                Arguments.of("top-level arrival unused", scenario(POISSON, """
                          - name: vad
                            sloMs: 50
                            arrival: { process: poisson, rate: 1 }
                            inputs: [{ name: input, datatype: FP32, shape: [1, 512] }]
                        """), "arrival"),
                Arguments.of("weight with own arrival", scenario(POISSON, MODEL + """
                          - name: b
                            weight: 2
                            sloMs: 50
                            arrival: { process: poisson, rate: 1 }
                            inputs: [{ name: input, datatype: FP32, shape: [1] }]
                        """), "models[1].weight"),
                Arguments.of("misspelt model field", scenario(POISSON, MODEL + "    wieght: 2\n"), "models[0].wieght"),
                Arguments.of("missing slo", scenario(POISSON, """
                          - name: vad
                            inputs: [{ name: input, datatype: FP32, shape: [1, 512] }]
                        """), "models[0].sloMs"),
                Arguments.of("negative deadline", scenario(POISSON, MODEL + "    deadlineMs: -5\n"),
                        "models[0].deadlineMs"),
                Arguments.of("duplicate model", scenario(POISSON, MODEL + MODEL), "models[1].name"),
                Arguments.of("bad datatype", scenario(POISSON, """
                          - name: vad
                            sloMs: 50
                            inputs: [{ name: input, datatype: FP33, shape: [1, 512] }]
                        """), "models[0].inputs[0].datatype"),
                Arguments.of("negative dimension", scenario(POISSON, """
                          - name: vad
                            sloMs: 50
                            inputs: [{ name: input, datatype: FP32, shape: [1, -3] }]
                        """), "models[0].inputs[0].shape[1]"),
                Arguments.of("huge tensor", scenario(POISSON, """
                          - name: vad
                            sloMs: 50
                            inputs: [{ name: input, datatype: FP32, shape: [100000, 100000] }]
                        """), "models[0].inputs[0].shape"),
                Arguments.of("no inputs", scenario(POISSON, """
                          - name: vad
                            sloMs: 50
                            inputs: []
                        """), "models[0].inputs"),
                Arguments.of("BYTES without a file", scenario(POISSON, """
                          - name: ocr
                            sloMs: 500
                            inputs: [{ name: image, datatype: BYTES, shape: [1] }]
                        """), "models[0].inputs[0].file"),
                Arguments.of("input file missing", scenario(POISSON, """
                          - name: ocr
                            sloMs: 500
                            inputs: [{ name: image, datatype: BYTES, shape: [1], file: no-such-page.png }]
                        """), "models[0].inputs[0].file"),
                Arguments.of("BYTES file with two elements", scenario(POISSON, """
                          - name: ocr
                            sloMs: 500
                            inputs: [{ name: image, datatype: BYTES, shape: [2], file: steady.yaml }]
                        """), "models[0].inputs[0].shape"),
                Arguments.of("raw tensor file of the wrong size", scenario(POISSON, """
                          - name: ocr
                            sloMs: 500
                            inputs: [{ name: image, datatype: UINT8, shape: [2, 2, 3], file: steady.yaml }]
                        """), "models[0].inputs[0].file"),
                Arguments.of("file with a constant", scenario(POISSON, """
                          - name: ocr
                            sloMs: 500
                            inputs: [{ name: image, datatype: BYTES, shape: [1], file: steady.yaml, value: 1 }]
                        """), "models[0].inputs[0].value"),
                Arguments.of("not YAML", "name: [unclosed\n", "(yaml)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidScenariosNameTheField(String name, String yaml, String field) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(yaml, SCENARIOS), name);
        assertEquals(field, e.field(), name + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    }

    @Test
    void fileInputsAreReadOnceFromTheInputDirectory(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("page.png"), new byte[] {1, 2, 3, 4, 5});
        Files.write(dir.resolve("rgb.raw"), new byte[12]);
        Scenario s = ScenarioLoader.parse(scenario(POISSON, """
                  - name: ocr
                    sloMs: 500
                    inputs:
                      - { name: image, datatype: BYTES, shape: [1], file: page.png }
                      - { name: raw, datatype: UINT8, shape: [2, 2, 3], file: rgb.raw }
                """), SCENARIOS, dir);
        InputSpec image = s.models().get(0).inputs().get(0);
        assertEquals(new InputFile(dir.resolve("page.png"), new byte[] {1, 2, 3, 4, 5}), image.file());
        assertEquals(4 + 5, image.byteSize(), "a BYTES element: its length, then its bytes");
        assertEquals(12, s.models().get(0).inputs().get(1).byteSize());
    }

    @Test
    void theDemosScenarioSendsThePageItsRunWrites(@TempDir Path out) throws IOException {
        Files.write(out.resolve("ocr-page.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Scenario s = ScenarioLoader.load(Path.of("../examples/demo/load.yaml"), out);
        assertEquals(List.of("ocr", "vad"), s.models().stream().map(ModelSpec::name).toList());
        assertEquals(Datatype.BYTES, s.models().get(0).inputs().get(0).datatype());
        assertFalse(new Schedule(s.withDurationSeconds(5)).drain().isEmpty());
    }

    @Test
    void defaultsApply() throws IOException {
        Scenario s = ScenarioLoader.parse(scenario(POISSON, MODEL), SCENARIOS);
        assertEquals(1, s.seed());
        assertEquals(null, s.target());
        assertEquals(1.0, s.models().get(0).weight());
        assertEquals(0, s.models().get(0).deadlineMs());
    }
}
