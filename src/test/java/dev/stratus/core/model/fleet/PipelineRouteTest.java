package dev.stratus.core.model.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PipelineRouteTest {
    private static final long MS = 1_000_000L;

    /** det -> cls -> rec, budgets 1000 / 200 / 800 of a 2000 ms SLO (the OCR chain). */
    private static final PipelineRoute CHAIN = new PipelineRoute(new Pipeline("ocr", List.of("det", "cls", "rec"),
            List.of(new PipelineEdge("det", "cls", 4), new PipelineEdge("cls", "rec", 1)), 2000, 2),
            2000, Map.of("det", 1000.0, "cls", 200.0, "rec", 800.0), PipelineWiring.BY_NAME);

    /** a -> {b, c} -> d: d waits for both branches; c's branch is the longer one. */
    private static final PipelineRoute DIAMOND = new PipelineRoute(new Pipeline("diamond", List.of("a", "b", "c", "d"),
            List.of(new PipelineEdge("a", "b", 1), new PipelineEdge("a", "c", 1), new PipelineEdge("b", "d", 1),
                    new PipelineEdge("c", "d", 1)), 1000, 1),
            1000, Map.of("a", 100.0, "b", 100.0, "c", 300.0, "d", 200.0), PipelineWiring.BY_NAME);

    @ParameterizedTest(name = "{0}.{1} reserves {2} ms")
    @CsvSource({
            "chain, det, 1000",
            "chain, cls, 800",
            "chain, rec, 0",
            "diamond, a, 500",
            "diamond, b, 200",
            "diamond, c, 200",
            "diamond, d, 0",
    })
    void reservesTheLongestPathOfBudgetsAfterAStage(String route, String stage, double reservedMs) {
        assertEquals(reservedMs, (route.equals("chain") ? CHAIN : DIAMOND).reservedAfterMs(stage), 1e-9);
    }

    @ParameterizedTest(name = "{0} starting at {1} ms, pipeline due at {2} ms: due at {3} ms")
    @CsvSource({
            // on time: the first stage gets exactly its budget
            "det, 0, 2000, 1000",
            // the detector took 100 ms: the classifier keeps its 200 ms and gets the 900 ms it left
            "cls, 100, 2000, 1200",
            // the recogniser, last, gets all that is left of the pipeline's deadline
            "rec, 150, 2000, 2000",
            // an earlier stage ran late: the classifier still gets its own budget, the later one what remains
            "cls, 1100, 2000, 1300",
            // never past the pipeline's own deadline, whatever the budget
            "cls, 1900, 2000, 2000",
            "rec, 1950, 2000, 2000",
            // a client's tighter deadline caps every stage
            "det, 0, 500, 500",
    })
    void aStageGetsItsBudgetPlusTheSlackBeforeIt(String stage, long nowMs, long pipelineDueMs, long dueMs) {
        assertEquals(dueMs * MS, CHAIN.stageDeadlineNanos(stage, nowMs * MS, pipelineDueMs * MS));
    }

    @Test
    void anUnknownStageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CHAIN.reservedAfterMs("yolo"));
    }
}
