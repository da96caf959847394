package dev.stratus.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a {@link LoadResult} as JSON (the record structure, field for field). */
public final class ResultJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {
    }

    public static void write(LoadResult result, Path file) throws IOException {
        JSON.writeValue(file.toFile(), result);
    }

    public static String toJson(LoadResult result) throws IOException {
        return JSON.writeValueAsString(result);
    }

    public static LoadResult read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), LoadResult.class);
    }
}
