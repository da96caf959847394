package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.stratus.core.model.ModelSource;

/**
 * Where an InferenceModel's ONNX file comes from, as written: the {@code {uri, sha256}} shape every entry point
 * shares (catalogs, {@code stratus models add}, documents, the admin API, the CRD). This is only its YAML binding,
 * lenient so that a custom resource with a bad source still deserialises and gets a condition naming the field;
 * {@link #toModelSource} reads it into the one {@link ModelSource} type, which holds the rules.
 */
@JsonClassDescription("Where the ONNX file comes from; it is used only when its sha256 matches.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceSpec(
        @Required
        @JsonPropertyDescription("npm:<package>@<version>/<path>, http(s)://..., or an absolute path (file:/path, "
                + "/path): a model file, or in local mode a folder in the model-repository layout "
                + "(<folder>/<model>/<version>/model.onnx) that holds this model.")
        @SchemaPattern(SourceSpec.URI_PATTERN)
        String uri,
        @RequiredUnless(field = "uri", pattern = SourceSpec.LOCAL_PATH, meaning = "the uri is not a local path "
                + "(downloads are checked against it)")
        @JsonPropertyDescription("SHA-256 of the file, 64 lower-case hex digits; a mismatch is refused. Required "
                + "for npm: and http(s): sources; for a local file, checked when given.")
        @SchemaPattern("^[0-9a-f]{64}$")
        String sha256) {

    /** A URI of a kind {@link ModelSource} reads, absolute when local (a relative path means nothing in a pod). */
    public static final String URI_PATTERN = "^(npm:|https?://|file:/|/).+";
    /** A local path: a file or folder on this machine or on a volume mounted into the pod. */
    public static final String LOCAL_PATH = "^(file:/|/)";

    /** The source in its one type; throws {@link IllegalArgumentException} as "uri: ..." or "sha256: ...". */
    public ModelSource toModelSource() {
        return ModelSource.parse(uri, sha256);
    }
}
