package dev.stratus.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shipped Grafana dashboard as the tests read it: its queries, with Grafana's variables filled in. */
final class GrafanaDashboard {
    static final Path FILE = Path.of("helm/stratus/dashboards/stratus-slo.json");

    /** One PromQL query of the dashboard: which panel (or annotation) and the expression as written. */
    record Query(String where, String expr) {
        /** The expression as Grafana would send it for {@code model} (a regex, as the multi-value variable is). */
        String forModel(String model) {
            return expr.replace("$model", model).replace("$__rate_interval", "1m").replace("$__interval", "30s")
                    .replace("$__range", "1h");
        }
    }

    private GrafanaDashboard() {
    }

    static JsonNode read() throws IOException {
        return new ObjectMapper().readTree(FILE.toFile());
    }

    static List<Query> queries(JsonNode dashboard) {
        List<Query> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(new Query("panel " + panel.path("id").asInt() + " '" + panel.path("title").asText() + "' "
                        + target.path("refId").asText(), target.path("expr").asText()));
            }
        }
        for (JsonNode a : dashboard.path("annotations").path("list")) {
            if (a.has("expr")) {
                out.add(new Query("annotation '" + a.path("name").asText() + "'", a.path("expr").asText()));
            }
        }
        return out;
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan");

    /**
     * The metric names an expression reads: identifiers that are not functions (followed by a parenthesis),
     * keywords, label names (inside braces or grouping lists), strings or durations.
     */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = BRACES.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = LABEL_LIST.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String word = m.group();
            int next = m.end();
            while (next < s.length() && s.charAt(next) == ' ') {
                next++;
            }
            boolean function = next < s.length() && s.charAt(next) == '(';
            boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!function && !number && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }
}
