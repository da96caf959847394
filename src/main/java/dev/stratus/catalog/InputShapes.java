package dev.stratus.catalog;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Warm-up shapes as users write them: {@code NAME=D1,D2,...}, the shape of one item with 1 on the batch axis. */
public final class InputShapes {
    private InputShapes() {
    }

    /** Parses {@code NAME=DIMS} items; the name is everything before the last '=' (input names may hold '='). */
    public static Map<String, long[]> parse(List<String> specs) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.lastIndexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--input-shape: expected NAME=D1,D2,..., got '" + spec + "'");
            }
            shapes.put(spec.substring(0, eq).trim(), dims(spec.substring(eq + 1), spec));
        }
        return shapes;
    }

    /**
     * Shapes as a document gives them ({@code inputShapes: {x: [1, 3, 48, 192]}}); none when null. Messages start
     * with the input's name, for the caller to prefix with where the shapes were written.
     */
    public static Map<String, long[]> of(Map<String, List<Long>> shapes) {
        Map<String, long[]> out = new LinkedHashMap<>();
        if (shapes == null) {
            return out;
        }
        shapes.forEach((input, dims) -> {
            if (dims == null || dims.isEmpty()) {
                throw new IllegalArgumentException(input + ": give the shape of one item, e.g. [1, 3, 48, 192]");
            }
            if (dims.stream().anyMatch(d -> d == null || d < 1)) {
                throw new IllegalArgumentException(input + ": dims must be positive, got " + dims);
            }
            out.put(input, dims.stream().mapToLong(Long::longValue).toArray());
        });
        return out;
    }

    /** {@code "1,3,48,192"} as dims. */
    public static long[] dims(String text, String whole) {
        try {
            long[] dims = Arrays.stream(text.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
            if (Arrays.stream(dims).anyMatch(d -> d < 1)) {
                throw new IllegalArgumentException("--input-shape: dims must be positive, got '" + whole + "'");
            }
            return dims;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--input-shape: dims must be integers, got '" + whole + "'");
        }
    }

    /** The same shapes as {@code NAME=DIMS} items. */
    public static List<String> format(Map<String, long[]> shapes) {
        return shapes.entrySet().stream().map(e -> e.getKey() + "=" + String.join(",", Arrays.stream(e.getValue())
                .mapToObj(Long::toString).toList())).toList();
    }
}
