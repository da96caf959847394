package dev.stratus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.bench.ScaleUpTiming.Event;
import dev.stratus.bench.ScaleUpTiming.Path;
import dev.stratus.bench.ScaleUpTiming.ReplicaSeen;
import dev.stratus.bench.ScaleUpTiming.Timing;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleUpTimingTest {
    static final String G = "ocr-cls@local-cpu";

    @Test
    void aWarmDecisionCountsUntilItsPromotion() {
        List<Timing> t = ScaleUpTiming.of(List.of(new Event(1_000, G, "REPLAN"), new Event(1_000, G, "SCALE_UP"),
                new Event(1_004, G, "PROMOTE_WARM"), new Event(1_005, G, "REFILL_WARM")), List.of());
        assertEquals(List.of(new Timing(1_000, G, Path.WARM, 4)), t);
    }

    @Test
    void aColdDecisionCountsUntilTheFirstReplicaStartedForItIsReady() {
        List<Event> events = List.of(new Event(10_000, G, "SCALE_UP"), new Event(10_003, G, "START_COLD"));
        List<ReplicaSeen> fleet = List.of(
                new ReplicaSeen("old", G, 1_000, 3_000L),                  // started long before: not this decision's
                new ReplicaSeen("a", G, 10_004, 12_504L),
                new ReplicaSeen("b", G, 10_005, 12_300L),
                new ReplicaSeen("c", G, 10_006, null),                    // never seen ready
                new ReplicaSeen("other", "vad@local-cpu", 10_004, 10_500L)); // another group
        assertEquals(List.of(new Timing(10_000, G, Path.COLD, 2_300)), ScaleUpTiming.of(events, fleet));
    }

    @Test
    void decisionsWithoutAMatchingActionAreLeftOut() {
        List<Event> events = List.of(new Event(0, G, "SCALE_UP"), new Event(9_000, G, "PROMOTE_WARM"),
                new Event(20_000, G, "SCALE_UP"), new Event(20_001, G, "START_COLD"));
        assertTrue(ScaleUpTiming.of(events, List.of()).isEmpty());
    }

    @Test
    void medianPerPath() {
        List<Timing> t = List.of(new Timing(0, G, Path.WARM, 3), new Timing(0, G, Path.WARM, 7),
                new Timing(0, G, Path.COLD, 2_000));
        assertEquals(5.0, ScaleUpTiming.medianMillis(t, Path.WARM));
        assertEquals(2_000.0, ScaleUpTiming.medianMillis(t, Path.COLD));
        assertTrue(Double.isNaN(ScaleUpTiming.medianMillis(List.of(), Path.COLD)));
    }
}
