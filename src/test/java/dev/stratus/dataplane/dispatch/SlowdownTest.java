package dev.stratus.dataplane.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.fleet.RouteTarget;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlowdownTest {
    /** Batch 4, 10 ms on average, 15 ms conservatively. */
    static final RouteTarget A = new RouteTarget("a", "h", 1, 4, 10, 15);

    @ParameterizedTest(name = "{0} answers of {2} ms with {1} ahead -> factor {3}")
    @CsvSource({
            "1,   0, 10,   1.0",     // one batch at its mean
            "1,   0, 5,    1.0",     // faster than the profile: never below 1
            "1,   0, 30,   1.4",     // three times the mean: 0.2 * 3 + 0.8 * 1
            "100, 4, 60,   3.0",     // a full batch ahead and its own: 2 * 10 ms predicted, 60 taken: converges to 3
            "100, 3, 30,   3.0",     // 3 ahead join its own batch of 4: one batch
            "100, 0, 1000, 50.0"     // capped
    })
    void followsTheAnswers(int answers, int ahead, double ms, double factor) {
        Slowdown s = new Slowdown();
        for (int i = 0; i < answers; i++) {
            s.observe(A, ahead, ms);
        }
        assertEquals(factor, s.factor("a"), 0.01);
        assertEquals(1, s.factor("other"), 0);
    }

    /** Batch 4, 10 ms mean, 15 ms conservative: n full batches ahead bound at 10n + 5√n ms, plus 15 of its own. */
    @ParameterizedTest(name = "{0} in flight, {1}x slower -> {2} ms")
    @CsvSource({
            "0,  1, 15",
            "3,  20, 15",           // nothing full ahead: its own batch decides, however slow the replica
            "4,  1, 30",            // 10 + 5 + 15
            "16, 1, 65",            // 40 + 10 + 15
            "28, 1, 98.23",         // 70 + 5√7 + 15: the most a 100 ms deadline admits
            "32, 1, 109.14",        // 80 + 5√8 + 15
            "8,  3, 96.21",         // (20 + 5√2) * 3 + 15
            "12, 3, 130.98"         // (30 + 5√3) * 3 + 15: refused
    })
    void theBoundOfTheQueueAheadGrowsWithItsSpreadAndTheSlowdown(int inFlight, double slowdown, double ms) {
        Slowdown.Estimate steady = new Slowdown.Estimate(slowdown, 0);
        assertEquals(ms, Admission.boundMs(inFlight, 4, 10, 15, steady), 0.01);
        assertEquals(ms <= 100, Admission.admits(inFlight, 4, 10, 15, 100, steady));
    }

    /** Answers that vary more than the profile's spread widen the bound: three observed deviations per √n batches. */
    @ParameterizedTest(name = "{0} in flight, {1}x slower +- {2} -> {3} ms")
    @CsvSource({
            "8,  3, 0,   96.21",     // the profile's spread, scaled: (20 + 5√2) * 3 + 15
            "8,  3, 0.5, 96.21",     // observed 3 * 10 * 0.5 = 15 per batch, as much as the scaled profile's 15
            "8,  3, 2,   159.85",    // 60 + √2 * 60 + 15
            "3,  3, 2,   15"         // nothing full ahead: its own batch
    })
    void answersThatVaryWidenTheBound(int inFlight, double factor, double spread, double ms) {
        assertEquals(ms, Admission.boundMs(inFlight, 4, 10, 15, new Slowdown.Estimate(factor, spread)), 0.01);
    }

    @Test
    void theSpreadIsLearnedFromTheAnswersAndDecaysOnASteadyMachine() {
        Slowdown s = new Slowdown();
        for (int i = 0; i < 200; i++) {
            s.observe(A, 0, i % 2 == 0 ? 20 : 40); // ratios 2 and 4: mean 3, deviation 1
        }
        assertEquals(3, s.of("a").factor(), 0.3);
        assertEquals(1, s.of("a").spread(), 0.3);
        for (int i = 0; i < 200; i++) {
            s.observe(A, 0, 30);
        }
        assertEquals(3, s.of("a").factor(), 0.01);
        assertEquals(0, s.of("a").spread(), 0.01);
    }

    @Test
    void aSlowReplicaAdmitsAShorterQueueButNeverNothing() {
        Dispatcher d = new Dispatcher(dev.stratus.core.model.fleet.DispatchMode.ROUND_ROBIN);
        assertEquals(Dispatcher.SHED, d.choose(List.of(A), t -> 16, 100, null, t -> new Slowdown.Estimate(3, 0)));
        assertEquals(0, d.choose(List.of(A), t -> 16, 100, null, t -> Slowdown.Estimate.NONE));
        assertEquals(0, d.choose(List.of(A), t -> 0, 100, null, t -> new Slowdown.Estimate(20, 5)));
    }

    @Test
    void replicasNoLongerRoutedAreForgotten() {
        Slowdown s = new Slowdown();
        s.observe(A, 0, 100);
        s.retain(List.of("b"));
        assertEquals(1, s.factor("a"), 0);
    }
}
