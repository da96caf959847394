package dev.stratus.dataplane.worker.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A cache file with its own SHA-256 beside it ({@code NAME.sha256}, in {@code sha256sum} format), recorded when
 * the file is written and checked before it is used. The optimised-model cache is reused across processes and
 * restarts; a file damaged on disk, cut short by a crash, or replaced by someone else would otherwise be loaded
 * as the model. What is verified is the bytes read, which are then the bytes used: nothing can change in between.
 */
final class VerifiedCacheFile {
    static final String SUFFIX = ".sha256";

    private VerifiedCacheFile() {
    }

    /**
     * Publishes {@code written} (a complete file in the same directory) as {@code target}: its digest is recorded
     * first, then the file moved into place, each atomically, so a reader finds either a pair that matches or one
     * that does not (and rebuilds), never a half-written file.
     */
    static void publish(Path written, Path target) throws IOException {
        byte[] bytes = Files.readAllBytes(written);
        Path sidecar = sidecar(target);
        Path temp = Files.createTempFile(target.getParent(), sidecar.getFileName().toString(), ".part");
        try {
            Files.writeString(temp, hex(bytes) + "  " + target.getFileName() + "\n", StandardCharsets.UTF_8);
            Files.move(temp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The file's bytes when they match the recorded digest; empty when it has none or it does not match. */
    static Optional<byte[]> read(Path file) throws IOException {
        Path sidecar = sidecar(file);
        if (!Files.isRegularFile(sidecar)) {
            return Optional.empty();
        }
        String recorded = Files.readString(sidecar, StandardCharsets.UTF_8).strip().split("\\s+")[0];
        byte[] bytes = Files.readAllBytes(file);
        return MessageDigest.isEqual(recorded.getBytes(StandardCharsets.US_ASCII),
                hex(bytes).getBytes(StandardCharsets.US_ASCII)) ? Optional.of(bytes) : Optional.empty();
    }

    /** Removes the file and its digest. */
    static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(sidecar(file));
    }

    static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName() + SUFFIX);
    }

    static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
