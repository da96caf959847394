package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the gateway does between a pipeline's stages: {@code tensors} passes tensors by name (Triton ensemble
 * style), {@code ppocr} runs PP-OCR's processing (image in, text lines out) around a detector, an optional
 * direction classifier and a recogniser.
 */
public enum PipelineProcessing {
    @JsonProperty("tensors")
    TENSORS,
    @JsonProperty("ppocr")
    PPOCR
}
