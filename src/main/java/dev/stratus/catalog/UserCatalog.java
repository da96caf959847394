package dev.stratus.catalog;

import dev.stratus.core.model.ModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The user's own catalog: the entries {@code stratus models add} writes, beside the bundled samples. It lives in
 * {@code $STRATUS_USER_CATALOG}, else {@code $XDG_CONFIG_HOME/stratus/models.yaml}, else
 * {@code ~/.config/stratus/models.yaml}: configuration the user owns, never inside the application. Writes are
 * atomic (a temporary file renamed into place), so a failed add leaves the previous catalog intact.
 */
public final class UserCatalog {
    public static final String ENV = "STRATUS_USER_CATALOG";
    public static final String PROPERTY = "stratus.user-catalog";
    /** The origin name of user entries in listings. */
    public static final String ORIGIN = "user";
    private static final String HEADER = """
            # Your models for Stratus, written by `./stratus models add` (one entry per model; edit freely: an entry
            # may mark an input `batchAxis: shared`, give `sample` values for warm-up, or lower `maxBatchSize`).
            # Format: docs/models.md.
            """;

    private final Path file;

    public UserCatalog(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    /** The catalog named by the system property, then the environment, then the XDG default. */
    public static UserCatalog fromEnvironment() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return new UserCatalog(Path.of(configured));
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".config")
                : Path.of(xdg);
        return new UserCatalog(config.resolve("stratus").resolve("models.yaml"));
    }

    public Path file() {
        return file;
    }

    /** The user's entries; empty when the file does not exist yet. */
    public ModelCatalog load() {
        if (!Files.exists(file)) {
            return ModelCatalog.empty();
        }
        ModelCatalog read = ModelCatalog.read(file);
        ModelCatalog tagged = ModelCatalog.empty();
        for (ModelSpec m : read.models()) {
            tagged = tagged.with(m, ORIGIN);
        }
        return tagged;
    }

    /** Adds or replaces an entry and writes the file atomically. */
    public void put(ModelSpec spec) {
        write(load().with(spec, ORIGIN));
    }

    /** Removes an entry; false when there was none. */
    public boolean remove(String name) {
        ModelCatalog current = load();
        if (current.find(name).isEmpty()) {
            return false;
        }
        write(current.without(name));
        return true;
    }

    private void write(ModelCatalog catalog) {
        Path temp = null;
        try {
            Files.createDirectories(file.getParent());
            temp = Files.createTempFile(file.getParent(), ".models-", ".yaml");
            Files.writeString(temp, HEADER + catalog.toYaml(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (AtomicMoveNotSupportedException e) {
            throw new CatalogException("cannot atomically write " + file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new CatalogException("cannot write the user catalog " + file + ": " + e.getMessage());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a leftover hidden temporary file is never read
                }
            }
        }
    }
}
