package dev.stratus.catalog;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Model names: DNS-1123 labels (lowercase letters, digits and '-', at most 63), because a name becomes a URL path
 * segment, a profile folder and a Kubernetes resource name. Names of new models are checked; names derived from
 * a file or folder are made to fit.
 */
public final class ModelNames {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private ModelNames() {
    }

    /** Why {@code name} cannot name a model, or empty when it can. */
    public static Optional<String> problem(String name) {
        if (name == null || !LABEL.matcher(name).matches()) {
            return Optional.of("model name '" + name + "' must be a DNS-1123 label: lowercase letters, digits and "
                    + "'-', starting and ending with a letter or digit, at most 63 characters");
        }
        return Optional.empty();
    }

    /** A valid name from a file or folder name: its stem, lowercased, other characters turned into '-'. */
    public static String derive(String fileName) {
        String stem = fileName.replaceFirst("(?i)\\.onnx$", "").toLowerCase(Locale.ROOT);
        String name = stem.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (name.length() > 63) {
            name = name.substring(0, 63).replaceAll("-+$", "");
        }
        return name.isEmpty() ? "model" : name;
    }
}
