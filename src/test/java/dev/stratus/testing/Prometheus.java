package dev.stratus.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where Debian's {@code prometheus} package puts its programs. */
public final class Prometheus {
    private Prometheus() {
    }

    /** {@code /usr/bin/NAME}, or NAME on the PATH; fails (never skips) when the package is not installed. */
    static Path tool(String name) {
        Path usual = Path.of("/usr/bin", name);
        if (Files.isExecutable(usual)) {
            return usual;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(name + " not found: install Debian's prometheus package "
                + "(apt-get install -y --no-install-recommends prometheus; .ci/run does)");
    }

    public static Path server() {
        return tool("prometheus");
    }
}
