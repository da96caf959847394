package dev.stratus.core.simulation.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.simulation.BatchRule;
import dev.stratus.core.simulation.ModelResult;
import dev.stratus.core.simulation.ServiceTime;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.SimPool;
import dev.stratus.core.simulation.SimResult;
import dev.stratus.core.simulation.SimDispatch;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.Simulator;
import dev.stratus.core.simulation.arrival.PoissonArrivals;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AimdBatchSizingTest {
    private final AimdBatchSizing aimd = new AimdBatchSizing(AimdSettings.defaults()); // +1, ×0.9

    static Stream<Arguments> steps() {
        // cap, batch size run, exec ms, budget ms, planned max, expected cap
        return Stream.of(
                Arguments.of(1, 1, 5.0, 20.0, 32, 2),     // full and within budget: +1
                Arguments.of(7, 7, 19.0, 20.0, 32, 8),
                Arguments.of(7, 3, 5.0, 20.0, 32, 7),     // partial batch: unchanged
                Arguments.of(32, 32, 5.0, 20.0, 32, 32),  // at the largest batch
                Arguments.of(20, 20, 21.0, 20.0, 32, 18), // over budget: floor(20 × 0.9)
                Arguments.of(5, 2, 25.0, 20.0, 32, 4),    // over budget even when partial
                Arguments.of(1, 1, 25.0, 20.0, 32, 1));   // never below 1
    }

    @ParameterizedTest(name = "cap {0}, ran {1} in {2} ms of {3} → {5}")
    @MethodSource("steps")
    void additiveIncreaseMultiplicativeDecrease(int cap, int size, double execMs, double budgetMs, int max, int expected) {
        assertEquals(expected, aimd.afterBatch(cap, size, execMs, budgetMs, max));
    }

    @Test
    void startsAtOne() {
        assertEquals(1, aimd.initialCap(32));
    }

    @Test
    void underSaturationTheCapOscillatesBelowTheBudget() {
        // l(b) = b + 2 ms, SLO 20 ms: batches up to 18 (l = 20) stay within budget, 19 does not → caps 17..19.
        SimModel m = new SimModel("m", 20, 0.99, ServiceTime.linear(1, 2, 0, 32), new ColdStart(0, 0, 0, 0, false),
                null, new PoissonArrivals(3000));
        SimPool pool = new SimPool("gpu", 1, 0);
        SimWorkload w = new SimWorkload(List.of(m), List.of(pool), 60, 1);
        var clipper = Configurators.clipperAimd("clipper-aimd", AimdSettings.defaults(),
                new BaselineDeployment(null, 0, 1000, SimDispatch.ROUND_ROBIN, BatchRule.FIFO, 64, 1.0, true, 1, 1), Optional.empty());
        var setup = clipper.configure(w);
        assertEquals(32, setup.groups().get(0).members().get(0).batch(), "AIMD may explore up to the largest batch");
        SimResult r = Simulator.run("clipper-aimd", setup.toConfig(w), setup.policy(), 1);
        ModelResult mr = r.model("m");
        assertTrue(mr.meanBatch() > 16.5 && mr.meanBatch() < 19, "mean batch " + mr.meanBatch());
        for (int b = 20; b <= 32; b++) {
            assertEquals(0, mr.batchSizes().get(b), "no batch beyond 19");
        }
    }
}
