package dev.stratus.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stratus.core.model.ModelSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A file the models need beside them that is not a model (the OCR recogniser's character dictionary), pinned like
 * a model: a source and its sha256, fetched into the model cache as {@code file}. The bundled list is
 * {@code catalog/assets.yaml}.
 */
public record ModelAsset(String name, String description, String licence, String file, ModelSource source) {
    public static final String BUNDLED = "/catalog/assets.yaml";
    /** PP-OCR's character dictionary, which the OCR pipeline decodes the recogniser's output with. */
    public static final String PPOCR_KEYS = "ppocr-keys";

    public ModelAsset {
        if (file == null || file.isBlank() || file.contains("/") || file.startsWith(".")) {
            throw new CatalogException("asset '" + name + "': file must be a plain file name, got '" + file + "'");
        }
    }

    /** Every bundled asset. */
    public static List<ModelAsset> bundled() {
        try (InputStream in = ModelAsset.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new CatalogException("bundled asset list " + BUNDLED + " is missing from the build");
            }
            JsonNode list = new ObjectMapper(new YAMLFactory()).readTree(in).path("assets");
            List<ModelAsset> out = new ArrayList<>();
            for (JsonNode a : list) {
                out.add(new ModelAsset(a.path("name").asText(), a.path("description").asText(""),
                        a.path("licence").asText(""), a.path("file").asText(),
                        new ModelSource(a.path("source").path("uri").asText(), a.path("source").path("sha256")
                                .asText())));
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new CatalogException("bundled asset list " + BUNDLED + ": " + e.getMessage());
        }
    }

    public static Optional<ModelAsset> find(String name) {
        return bundled().stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
