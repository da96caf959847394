package dev.stratus.core.autoscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromotionTest {

    @ParameterizedTest(name = "need {0}, {1} ready -> promote {2}, cold {3}; target {5} with {6} starting -> refill {7}")
    @CsvSource({
            // needed, ready, fromStandby, cold, left, target, starting, refill
            "2, 3, 2, 0, 1, 3, 0, 2",
            "3, 3, 3, 0, 0, 3, 0, 3",
            "5, 2, 2, 3, 0, 2, 0, 2",
            "5, 2, 2, 3, 0, 2, 1, 1",    // one refill already under way
            "0, 2, 0, 0, 2, 2, 0, 0",
            "4, 0, 0, 4, 0, 1, 0, 1",
            "1, 4, 1, 0, 3, 2, 0, 0"     // target lowered meanwhile: no refill, no negative
    })
    void promotesReadyStandbyFirstThenStartsCold(int needed, int ready, int fromStandby, int cold, int left,
                                                 int target, int starting, int refill) {
        Promotion p = Promotion.plan(needed, ready);
        assertEquals(new Promotion(fromStandby, cold, left), p);
        assertEquals(cold == 0, p.fullyWarm());
        assertEquals(refill, p.refill(target, starting));
    }

    @ParameterizedTest(name = "drain {0} with {1} ready, target {2} -> keep {3}, stop {4}")
    @CsvSource({
            "3, 0, 2, 2, 1",
            "3, 2, 2, 0, 3",
            "1, 0, 3, 1, 0",
            "0, 0, 3, 0, 0",
            "2, 5, 1, 0, 2"
    })
    void scaleDownKeepsWarmReplicasThePoolLacks(int excess, int ready, int target, int keep, int stop) {
        assertEquals(new Demotion(keep, stop), Demotion.plan(excess, ready, target));
    }

    @ParameterizedTest(name = "plan({0}, {1})")
    @CsvSource({"-1, 0", "0, -1"})
    void refusesNegativeCounts(int needed, int ready) {
        assertThrows(IllegalArgumentException.class, () -> Promotion.plan(needed, ready));
        assertThrows(IllegalArgumentException.class, () -> Demotion.plan(needed, ready, 1));
    }
}
