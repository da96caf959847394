package dev.stratus.core.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StabilityRuleTest {

    /** Windows as "mean/p50" pairs separated by spaces. */
    static List<StabilityRule.Window> windows(String spec) {
        List<StabilityRule.Window> out = new ArrayList<>();
        for (String w : spec.trim().split("\\s+")) {
            String[] parts = w.split("/");
            out.add(new StabilityRule.Window(Double.parseDouble(parts[0]), Double.parseDouble(parts[1])));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'10/9 10/9 10/9', true",
            "'10/9 10/9', false",                      // fewer windows than the rule needs
            "'10/9 10.9/9.5 10.5/9.8', true",         // 9 % spread on means, 8.9 % on medians
            "'10/9 11.1/9 10/9', false",              // means spread 11 %
            "'10/9 10/10 10/9', false",               // medians spread 11 %
            "'30/30 10/9 10.2/9.1 10.1/9.0', true",   // only the last three count
            "'10/9 10/9 10/9 30/30', false",          // a late outlier window breaks it again
            "'0/0 0/0 0/0', false"                    // degenerate windows never count as stable
    })
    void lastThreeWindowsWithinTenPercent(String spec, boolean stable) {
        assertEquals(stable, StabilityRule.DEFAULT.stable(windows(spec)));
    }

    @ParameterizedTest
    @CsvSource({"1, 0.1", "3, 0", "3, -1"})
    void refusesMeaninglessRules(int windows, double tolerance) {
        assertThrows(IllegalArgumentException.class, () -> new StabilityRule(windows, tolerance));
    }
}
