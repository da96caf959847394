package dev.stratus.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    static final List<InputSpec> INPUTS = List.of(new InputSpec("x", Datatype.FP32, List.of(1L, 4L), null));

    static Scenario mixed(long seed) {
        return new Scenario("mix", 60, seed, null, new ArrivalSpec.Poisson(100), List.of(
                new ModelSpec("a", 3, null, 50, 0, INPUTS),
                new ModelSpec("b", 1, null, 50, 0, INPUTS),
                new ModelSpec("c", 1, new ArrivalSpec.Gamma(10, 2), 50, 0, INPUTS)));
    }

    @Test
    void scheduleIsAFunctionOfTheSeed() {
        assertEquals(new Schedule(mixed(7)).drain(), new Schedule(mixed(7)).drain());
        assertNotEquals(new Schedule(mixed(7)).drain(), new Schedule(mixed(8)).drain());
    }

    @Test
    void arrivalsAreInTimeOrderWithinTheDuration() {
        List<Arrival> all = new Schedule(mixed(1)).drain();
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i).offsetNanos() >= all.get(i - 1).offsetNanos(), "out of order at " + i);
        }
        assertTrue(all.getLast().offsetNanos() < 60_000_000_000L);
    }

    @Test
    void sharedArrivalsAreSplitByWeightAndOwnArrivalsAddUp() {
        List<Arrival> all = new Schedule(mixed(3)).drain();
        long a = all.stream().filter(x -> x.model() == 0).count();
        long b = all.stream().filter(x -> x.model() == 1).count();
        long c = all.stream().filter(x -> x.model() == 2).count();
        assertEquals(0.75, (double) a / (a + b), 0.02);
        assertEquals(6000, a + b, 6000 * 0.05);
        assertEquals(600, c, 600 * 0.25); // gamma cv 2 over 60 s: few, clumpy arrivals
    }

    @Test
    void overridesScaleRatesAndDuration() {
        long base = new Schedule(mixed(5)).drain().size();
        long doubled = new Schedule(mixed(5).withRateScale(2)).drain().size();
        long half = new Schedule(mixed(5).withDurationSeconds(30)).drain().size();
        assertEquals(2.0, (double) doubled / base, 0.1);
        assertEquals(0.5, (double) half / base, 0.05);
    }
}
