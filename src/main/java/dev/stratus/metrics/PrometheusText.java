package dev.stratus.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads values out of a Prometheus text exposition (what {@code /q/metrics} answers). */
public final class PrometheusText {
    private PrometheusText() {
    }

    /**
     * The value of the first sample of {@code name} that carries every given label, or 0 when there is none.
     *
     * @param labels label name and value pairs, e.g. {@code "model", "ocr-det"}
     */
    public static double value(String text, String name, String... labels) {
        return text.lines().filter(l -> l.startsWith(name + "{") && hasLabels(l, labels))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    /** One sample: its labels and its value. */
    public record Sample(Map<String, String> labels, double value) {
        /** The value of label {@code name}, or null when the sample has none. */
        public String label(String name) {
            return labels.get(name);
        }
    }

    private static final Pattern LABEL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"([^\"]*)\"");

    /** Every sample of {@code name} (a bucket, counter or gauge series), in the order of the text. */
    public static List<Sample> samples(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + "{")).map(l -> {
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher m = LABEL.matcher(l.substring(0, l.indexOf('}') + 1));
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
            return new Sample(labels, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
        }).toList();
    }

    private static boolean hasLabels(String line, String[] labels) {
        String set = line.substring(0, line.indexOf('}') + 1);
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!set.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                return false;
            }
        }
        return true;
    }
}
