package dev.stratus.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stratus.control.ServiceSpec;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.core.model.fleet.PipelineWiring;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pipeline;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What ./stratus demo serves by default reads as the OCR pipeline and vad on one pool. */
class DemoConfigTest {
    @Test
    void theDemoServesTheOcrPipelineAndVad() {
        ServiceSpec spec = ResourceReader.readDirectory(Path.of("examples/demo/resources"));
        assertEquals(List.of("local-cpu"), spec.request().pools().stream().map(p -> p.name()).toList());
        assertEquals(List.of("ocr-cls", "ocr-det", "ocr-rec", "vad"),
                spec.request().models().stream().map(ModelDemand::name).sorted().toList());
        Pipeline ocr = spec.request().pipelines().get(0);
        assertEquals("ocr", ocr.name());
        assertEquals(List.of("ocr-det", "ocr-cls", "ocr-rec"), ocr.stages());
        assertEquals(PipelineWiring.Processing.PPOCR, spec.wiring().get("ocr").processing());
    }
}
