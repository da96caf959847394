package dev.stratus.core.simulation;

import static dev.stratus.core.simulation.Fixtures.group;
import static dev.stratus.core.simulation.Fixtures.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.simulation.arrival.ConstantArrivals;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HopOverheadTest {

    @Test
    void drawsFollowTheSamplesAndInterpolateBetweenThem() {
        HopOverhead h = HopOverhead.fromQuantiles(new double[] {4, 0, 2, 6});
        SplittableRandom rng = new SplittableRandom(3);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double v = h.sampleMs(rng);
            assertTrue(v >= 0 && v <= 6, "within the samples: " + v);
            sum += v;
        }
        assertEquals(3.0, sum / n, 0.02, "mean of the interpolated distribution");
        assertEquals(3.0, h.meanMs(), 1e-12);
        assertEquals(0, HopOverhead.NONE.sampleMs(rng));
        assertEquals(0, HopOverhead.fromQuantiles(new double[] {-1, 1}).samplesMs()[0], "negative quantiles clip to 0");
        assertThrows(IllegalArgumentException.class, () -> new HopOverhead(new double[] {Double.NaN}));
    }

    @Test
    void everyRequestCarriesItsDrawOnTopOfTheServedLatency() {
        // One request every 10 ms, l(1) = 2 ms exactly, no queueing: latency 2 ms, plus a constant 5 ms of hops.
        SimModel m = model("m", 100, 1, 1, 1, new ConstantArrivals(100, 0));
        SimWorkload plain = new SimWorkload(List.of(m), List.of(Fixtures.POOL), 10, 1);
        ReplicaGroup g = group("m", 1, 0, 1, SimDispatch.BATCH_AWARE);
        ModelResult without = Simulator.run("a", new SimConfig(plain, List.of(g), false), ScalingPolicy.none(), 1)
                .model("m");
        ModelResult with = Simulator.run("b", new SimConfig(plain.withOverhead(new HopOverhead(new double[] {5})),
                List.of(g), false), ScalingPolicy.none(), 1).model("m");
        assertEquals(2.0, without.maxLatencyMs(), 1e-9);
        assertEquals(7.0, with.minLatencyMs(), 1e-9);
        assertEquals(7.0, with.maxLatencyMs(), 1e-9);
        assertEquals(without.requests(), with.requests());
    }
}
