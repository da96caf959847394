package dev.stratus.testing.container;

import dev.stratus.testing.SampleModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A models directory to mount into a container: copies of sample models from the model cache, readable by the
 * image's non-root user (a JUnit temporary directory is private to whoever runs the tests). Removed on close.
 */
public final class ModelVolume implements AutoCloseable {
    private final Path dir;

    private ModelVolume(Path dir) {
        this.dir = dir;
    }

    public static ModelVolume of(String... models) throws IOException {
        Path dir = Files.createTempDirectory("stratus-models-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        for (String model : models) {
            Path file = Files.copy(SampleModels.file(model), dir.resolve(model + ".onnx"));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return new ModelVolume(dir);
    }

    public Path path() {
        return dir;
    }

    /** Flips one byte in the middle of a model file: the same size, a different sha256. */
    public ModelVolume corrupt(String model) throws IOException {
        Path file = dir.resolve(model + ".onnx");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        return this;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
