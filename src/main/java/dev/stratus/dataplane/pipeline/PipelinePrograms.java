package dev.stratus.dataplane.pipeline;

import dev.stratus.core.model.fleet.PipelineRoute;
import dev.stratus.core.model.fleet.PipelineWiring;
import dev.stratus.dataplane.pipeline.ocr.CharacterDictionary;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The program that serves a pipeline route, by its processing. */
public final class PipelinePrograms {
    private PipelinePrograms() {
    }

    /**
     * @param dictionary the OCR recogniser's characters (read when a PP-OCR pipeline first needs them)
     */
    public static PipelineProgram of(PipelineRoute route, Supplier<CharacterDictionary> dictionary) {
        return switch (route.wiring().processing()) {
            case TENSORS -> new TensorDataflow(route.pipeline(), route.wiring());
            case PPOCR -> {
                List<String> chain = PipelineWiring.ocrChain(route.pipeline());
                yield new OcrProgram(chain.get(0), chain.size() == 3 ? Optional.of(chain.get(1)) : Optional.empty(),
                        chain.get(chain.size() - 1), dictionary);
            }
        };
    }
}
