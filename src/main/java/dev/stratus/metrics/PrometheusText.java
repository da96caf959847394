package dev.stratus.metrics;

/** Reads single values out of a Prometheus text exposition (what {@code /q/metrics} answers). */
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
