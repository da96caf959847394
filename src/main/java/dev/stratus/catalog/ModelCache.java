package dev.stratus.catalog;

import dev.stratus.core.model.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Where fetched model binaries live: {@code $STRATUS_MODELS_DIR} or {@code ~/.cache/stratus/models}. */
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

    public Path fileFor(ModelSpec spec) {
        return dir.resolve(spec.name() + ".onnx");
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

    /** True when the model's file is present and matches the catalog checksum. */
    public boolean isValid(ModelSpec spec) {
        Path file = fileFor(spec);
        return Files.isRegularFile(file) && sha256(file).equals(spec.source().sha256());
    }

    /** The model file after checking it, or a {@link CatalogException} telling the user how to get it. */
    public Path require(ModelSpec spec) {
        Path file = fileFor(spec);
        if (!Files.isRegularFile(file)) {
            throw new CatalogException("model '" + spec.name() + "' is not in the cache " + dir
                    + "; run ./stratus models fetch");
        }
        return verify(spec, file);
    }

    /** {@code file} when its sha256 is the catalog's, else a {@link CatalogException} saying both. */
    public static Path verify(ModelSpec spec, Path file) {
        String actual = sha256(file);
        if (!actual.equals(spec.source().sha256())) {
            throw new CatalogException("model '" + spec.name() + "' at " + file + " has sha256 " + actual
                    + " but the catalog expects " + spec.source().sha256() + "; run ./stratus models fetch");
        }
        return file;
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new CatalogException("cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
