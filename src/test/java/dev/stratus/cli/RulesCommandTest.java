package dev.stratus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheRulesOfTheExampleModels() throws Exception {
        Path out = dir.resolve("sub/stratus-rules.yaml");
        CliRun run = CliRun.of("rules", "--config", "examples/local", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("for 2 model(s) to " + out), run.err());
        String text = Files.readString(out);
        assertTrue(text.startsWith("groups:"), text);
        assertTrue(text.contains("name: stratus-slo-sli-recordings-vad"), text);
        assertTrue(text.contains("name: stratus-slo-alerts-ocr-cls"), text);
    }

    @Test
    void writesAPrometheusRuleToStandardOutput() {
        CliRun run = CliRun.of("rules", "--config", "examples/local", "--format", "prometheus-rule", "--namespace",
                "monitoring");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n"), run.out());
        assertTrue(run.out().contains("namespace: monitoring"), run.out());
        assertTrue(run.out().contains("alert: StratusErrorBudgetFastBurn"), run.out());
    }

    @Test
    void badInputGetsAClearError() {
        CliRun format = CliRun.of("rules", "--format", "grafana");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("--format must be rules or prometheus-rule, got 'grafana'"), format.err());
        CliRun missing = CliRun.of("rules", "--config", dir.resolve("nope").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("not a directory of resource files"), missing.err());
    }
}
