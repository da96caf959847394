package dev.stratus.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code promtool} of Debian's {@code prometheus} package (which {@code .ci/run} installs). A missing
 * promtool fails the test that needs it, with what to install: nothing here is skipped.
 */
public final class Promtool {
    private Promtool() {
    }

    /** What a promtool run printed, and its exit status. */
    public record Result(int code, String output) {
    }

    public static Path binary() {
        return Prometheus.tool("promtool");
    }

    /** Runs {@code promtool ARGS...} in {@code dir} (at most 5 minutes). */
    public static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("promtool-", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError("promtool " + String.join(" ", args) + " ran over 5 minutes");
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }
}
