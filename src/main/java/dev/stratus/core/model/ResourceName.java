package dev.stratus.core.model;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for names of models, pools and pipelines: a DNS-1123 label (what Kubernetes requires of a Service
 * name), because each name becomes a file name here and a Kubernetes object name in a cluster. Lower-case
 * letters, digits and '-', starting and ending with a letter or digit, at most 63 characters: no path
 * separators, dots, spaces or upper case to smuggle into a path or an object name.
 */
public final class ResourceName {
    public static final int MAX_LENGTH = 63;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private ResourceName() {
    }

    /** Why {@code name} is not a valid name, or empty when it is. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("must be set");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("is " + name.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        if (!LABEL.matcher(name).matches()) {
            return Optional.of("'" + printable(name) + "' is not a DNS-1123 label: use lower-case letters, digits "
                    + "and '-', starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    /** {@code name} when valid; else an IllegalArgumentException whose message starts with {@code field}. */
    public static String require(String field, String name) {
        problem(name).ifPresent(p -> {
            throw new IllegalArgumentException(field + ": " + p);
        });
        return name;
    }

    /** Control characters would garble a log line or an error message: shown escaped. */
    private static String printable(String name) {
        StringBuilder s = new StringBuilder();
        name.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                s.append(String.format("\\u%04x", c));
            } else {
                s.appendCodePoint(c);
            }
        });
        return s.toString();
    }
}
