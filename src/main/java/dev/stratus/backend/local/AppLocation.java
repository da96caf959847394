package dev.stratus.backend.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the built application ({@code target/quarkus-app/quarkus-run.jar}) to start worker processes from. */
public final class AppLocation {
    public static final String PROPERTY = "stratus.app.jar";

    private AppLocation() {
    }

    public static Path runJar() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return require(Path.of(configured));
        }
        try {
            // In the fast-jar layout our classes live in quarkus-app/app/*.jar, next to quarkus-run.jar's dir.
            Path source = Path.of(AppLocation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = source.getParent().getParent().resolve("quarkus-run.jar");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            return require(Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath());
        } catch (URISyntaxException | NullPointerException e) {
            return require(Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath());
        }
    }

    private static Path require(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("application not built: " + jar + " is missing (run ./mvnw package)");
        }
        return jar;
    }
}
