package dev.stratus.catalog;

import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where model files are found: downloaded ones ({@code npm:} and {@code http(s):} sources) in
 * {@code $STRATUS_MODELS_DIR} or {@code ~/.cache/stratus/models} as {@code <name>.onnx}; local files where they
 * are. Either way a file is served only when it matches the checksum its entry declares.
 */
public final class ModelCache {
    public static final String ENV = "STRATUS_MODELS_DIR";
    public static final String PROPERTY = "stratus.models.dir";

    private final Path dir;

    public ModelCache(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The cache named by the system property, then the environment, then the default under the home dir. */
    public static ModelCache fromEnvironment() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
        }
        if (configured == null || configured.isBlank()) {
            return new ModelCache(Path.of(System.getProperty("user.home"), ".cache", "stratus", "models"));
        }
        return new ModelCache(Path.of(configured));
    }

    public Path dir() {
        return dir;
    }

    /** Where the model's file is: its own path for local sources, else its place in the cache. */
    public Path fileFor(ModelSpec spec) {
        return spec.source().kind() == ModelSource.Kind.FILE ? Path.of(spec.source().filePath())
                : cachedFile(spec.name());
    }

    public Path fileFor(ModelAsset asset) {
        return dir.resolve(asset.file());
    }

    /** The asset's file after checking it, or a {@link CatalogException} telling the user how to get it. */
    public Path require(ModelAsset asset) {
        Path file = fileFor(asset);
        if (!Files.isRegularFile(file)) {
            throw new CatalogException(asset.name() + " (" + asset.file() + ") is not in the model cache " + dir
                    + "; run ./stratus models fetch");
        }
        String actual = sha256(file);
        if (!actual.equals(asset.source().sha256())) {
            throw new CatalogException(asset.name() + " at " + file + " has sha256 " + actual + " but the catalog "
                    + "expects " + asset.source().sha256() + "; run ./stratus models fetch");
        }
        return file;
    }

    /** A model's place in the cache, {@code <dir>/<name>.onnx}, where downloads (and installed copies) go. */
    public Path cachedFile(String model) {
        return dir.resolve(model + ".onnx");
    }

    /** True when the model's file is present and matches the declared checksum (if any). */
    public boolean isValid(ModelSpec spec) {
        Path file = fileFor(spec);
        return Files.isRegularFile(file) && (spec.source().sha256() == null
                || sha256(file).equals(spec.source().sha256()));
    }

    /**
     * The model file after checking it, or a {@link CatalogException} telling the user how to get it. A worker
     * calls this as it loads each model (on the loading thread), so a missing, damaged or substituted file fails
     * that model with the reason and the others are served.
     */
    public Path require(ModelSpec spec) {
        Path file = fileFor(spec);
        boolean local = spec.source().kind() == ModelSource.Kind.FILE;
        if (Files.isDirectory(file)) {
            throw new CatalogException(file + ": a folder, not a model file (model '" + spec.name() + "'); serve a "
                    + "model repository with --models-dir");
        }
        if (!Files.isRegularFile(file)) {
            throw new CatalogException(local ? file + ": no such file (model '" + spec.name() + "')"
                    : "model '" + spec.name() + "' is not in the cache " + dir + "; run ./stratus models fetch");
        }
        verify(spec, file, null);
        return file;
    }

    /**
     * The one checksum rule, wherever a model file is about to be served or stored: the file's sha256 must be the
     * one its source declares (a source that declares none, a local file, passes and gets its checksum recorded by
     * the caller). Used as a worker loads a model ({@link #require}) and before a download or copy is published
     * ({@link ModelFetcher}); only the advice in the message differs.
     *
     * @param stagedFrom where a file not yet published came from, or null for a file in its place (the cache, or
     *                   a local path)
     */
    public static void verify(ModelSpec spec, Path file, String stagedFrom) {
        String expected = spec.source().sha256();
        if (expected == null) {
            return;
        }
        String actual = sha256(file);
        if (actual.equals(expected)) {
            return;
        }
        if (stagedFrom != null) {
            throw new CatalogException("checksum mismatch for model '" + spec.name() + "' (" + stagedFrom
                    + "): expected sha256 " + expected + ", got " + actual + "; nothing was stored");
        }
        throw new CatalogException(spec.source().kind() == ModelSource.Kind.FILE
                ? file + ": sha256 is " + actual + ", not the " + expected + " recorded for model '" + spec.name()
                        + "' (another file, or it changed since it was added)"
                : "model '" + spec.name() + "' at " + file + " has sha256 " + actual + " but the catalog expects "
                        + expected + "; run ./stratus models fetch");
    }

    /** The hex sha256 of a file. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CatalogException(file + ": no such file");
        } catch (IOException e) {
            throw new CatalogException(file + ": cannot read it: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
