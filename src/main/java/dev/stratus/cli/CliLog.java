package dev.stratus.cli;

import dev.stratus.catalog.ModelCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the command line keeps what the console does not show: the console gets one line per failure, the trace
 * behind it goes to {@code logs/cli.log} beside the model cache ({@code ~/.cache/stratus/logs/cli.log}).
 */
final class CliLog {
    private CliLog() {
    }

    static Path file() {
        return ModelCache.fromEnvironment().dir().resolveSibling("logs").resolve("cli.log");
    }

    /** Appends the trace of {@code error} under a heading; the file written, or empty when it could not be. */
    static Optional<Path> trace(String heading, Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        Path file = file();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Instant.now() + " " + heading + "\n" + trace + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return Optional.of(file);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
