package dev.stratus.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencySplitterTest {
    static final int STEPS = 10;
    static final double SLO = 100;

    /** A decreasing staircase cost per stage: infeasible below minMs, then c / budget rounded up. */
    static double cost(String stage, double budgetMs) {
        double min = switch (stage) { case "a" -> 20; case "b" -> 10; case "c" -> 30; default -> 10; };
        double scale = switch (stage) { case "a" -> 300; case "b" -> 120; case "c" -> 500; default -> 80; };
        return budgetMs < min ? Double.POSITIVE_INFINITY : Math.ceil(scale / budgetMs);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {0, 1, 2})
    void treeDpIsOptimalOnTheGrid(int variant) {
        Pipeline chain = variant == 0
                ? new Pipeline("p", List.of("a", "b", "c"), List.of(new PipelineEdge("a", "b", 8), new PipelineEdge("b", "c", 1)), SLO, 1)
                : variant == 1
                ? new Pipeline("p", List.of("a", "b"), List.of(new PipelineEdge("a", "b", 2)), SLO, 1)
                : new Pipeline("p", List.of("a", "b", "c"), List.of(new PipelineEdge("a", "b", 1), new PipelineEdge("a", "c", 1)), SLO, 1);
        LatencySplitter.Split split = LatencySplitter.split(chain, STEPS, LatencySplitterTest::cost, false);
        double dp = total(split.budgetsMs());
        double best = Double.POSITIVE_INFINITY;
        for (Map<String, Integer> v : ExactPlanner.budgetVectors(chain, STEPS)) {
            double c = 0;
            for (var e : v.entrySet()) {
                c += cost(e.getKey(), e.getValue() * SLO / STEPS);
            }
            best = Math.min(best, c);
        }
        assertEquals(best, dp, 1e-9, split.toString());
        assertTrue(LatencySplitter.longestPathMs(chain, split.budgetsMs()) <= SLO + 1e-9);
    }

    @ParameterizedTest(name = "reassign {0}")
    @ValueSource(booleans = {true, false})
    void dagGreedyKeepsEveryPathWithinTheSlo(boolean reassign) {
        Pipeline diamond = new Pipeline("d", List.of("a", "b", "c", "d"), List.of(new PipelineEdge("a", "b", 4),
                new PipelineEdge("a", "c", 2), new PipelineEdge("b", "d", 1), new PipelineEdge("c", "d", 1)), SLO, 1);
        LatencySplitter.Split split = LatencySplitter.split(diamond, STEPS, LatencySplitterTest::cost, reassign);
        Map<String, Double> b = split.budgetsMs();
        assertTrue(b.get("a") + b.get("b") + b.get("d") <= SLO + 1e-9, b.toString());
        assertTrue(b.get("a") + b.get("c") + b.get("d") <= SLO + 1e-9, b.toString());
        assertTrue(Double.isFinite(total(b)));
        if (reassign) { // no stage can grow without breaking a path
            assertEquals(SLO, LatencySplitter.longestPathMs(diamond, b), 1e-9);
        }
    }

    static double total(Map<String, Double> budgets) {
        return budgets.entrySet().stream().mapToDouble(e -> cost(e.getKey(), e.getValue())).sum();
    }

    /**
     * Whole-replica costs are flat once a stage needs one replica: the cheapest split leaves slack, which every stage
     * shares in proportion to its budget instead of the first stage taking it all (a detector, a classifier and a
     * recogniser needing 4, 2 and 4 of 20 steps get 8, 4 and 8).
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "OCR-like chain, flat costs  | 20:10:20 | 800:400:800",
        "one stage needs most        | 30:10:10 | 1200:400:400",
        "no slack                    | 80:10:10 | 1600:200:200"})
    void slackIsSharedInProportionToTheBudgets(String name, String minimaMs, String expectedMs) {
        String[] min = minimaMs.split(":");
        Map<String, Double> minimum = Map.of("det", Double.parseDouble(min[0]) * 20, "cls",
                Double.parseDouble(min[1]) * 20, "rec", Double.parseDouble(min[2]) * 20);
        Pipeline ocr = new Pipeline("ocr", List.of("det", "cls", "rec"), List.of(new PipelineEdge("det", "cls", 4),
                new PipelineEdge("cls", "rec", 1)), 2000, 2);
        LatencySplitter.Split split = LatencySplitter.split(ocr, 20,
                (stage, budget) -> budget < minimum.get(stage) - 1e-9 ? Double.POSITIVE_INFINITY : 0.1, true,
                LatencySplitter.Slack.SHARED);
        String[] want = expectedMs.split(":");
        assertEquals(Map.of("det", Double.parseDouble(want[0]), "cls", Double.parseDouble(want[1]), "rec",
                Double.parseDouble(want[2])), split.budgetsMs(), name);
        // Nexus' split as published keeps a tie's slack in the first stage.
        LatencySplitter.Split nexus = LatencySplitter.split(ocr, 20,
                (stage, budget) -> budget < minimum.get(stage) - 1e-9 ? Double.POSITIVE_INFINITY : 0.1);
        assertEquals(2000 - minimum.get("cls") - minimum.get("rec"), nexus.budgetsMs().get("det"), 1e-9, name);
    }
}
