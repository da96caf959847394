package dev.stratus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OverloadBenchmarkTest {

    /** One request per 100 ms for 10 s after the drop; seconds listed as bad get one 429 each. */
    @ParameterizedTest(name = "bad seconds [{0}] -> recovered after {1} s")
    @CsvSource({"'', 0", "'0', 1", "'0 1 2', 3", "'0 2', 3", "'0 1 2 3 4 5 6 7 8 9', 10", "'8', 0"})
    void recoveryIsTheStartOfTheFirstCleanStretch(String bad, double recovered) {
        List<Integer> badSeconds = bad.isBlank() ? List.of() : java.util.Arrays.stream(bad.trim().split("\\s+"))
                .map(Integer::valueOf).toList();
        double drop = 30_000;
        List<OpenLoop.Result> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double due = drop + i * 100;
            boolean shed = badSeconds.contains(i / 10) && i % 10 == 3;
            results.add(new OpenLoop.Result(due, shed ? 429 : 200, shed ? 1 : 20));
        }
        results.add(new OpenLoop.Result(drop - 50, 429, 1)); // before the drop: not counted
        assertEquals(recovered, OverloadBenchmark.recoverySeconds(results, drop, drop + 10_000, 100));
    }

    @Test
    void aSlowAnswerIsNotClean() {
        List<OpenLoop.Result> results = List.of(new OpenLoop.Result(0, 200, 150), new OpenLoop.Result(1000, 200, 5),
                new OpenLoop.Result(2000, 200, 5), new OpenLoop.Result(3000, 200, 5));
        assertEquals(1, OverloadBenchmark.recoverySeconds(results, 0, 4000, 100));
    }

    @Test
    void percentilesOfSortedSamples() {
        double[] s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, OverloadBenchmark.percentile(s, 50));
        assertEquals(10, OverloadBenchmark.percentile(s, 99));
        assertEquals(1, OverloadBenchmark.percentile(s, 0));
        assertEquals(Double.NaN, OverloadBenchmark.percentile(new double[0], 50));
    }
}
