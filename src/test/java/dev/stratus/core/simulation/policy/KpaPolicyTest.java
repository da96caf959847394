package dev.stratus.core.simulation.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stratus.core.simulation.ScalingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class KpaPolicyTest {
    // Target 10 in flight per replica at 100 % utilisation keeps the arithmetic visible.
    private final KpaSettings settings = new KpaSettings(10, 1.0, 60, 10, 200, 2, 1000, 2, 1, 100);

    private final class Driver {
        final KpaPolicy kpa = new KpaPolicy(settings, g -> 10);
        int ready;

        Driver(int ready) {
            this.ready = ready;
        }

        /** One 1 s period with this mean concurrency; returns the decision's target or -1. */
        int step(int t, double concurrency) {
            List<ScalingDecision> d = kpa.onTick(Snapshots.concurrency(t, ready, 0, concurrency));
            if (d.isEmpty()) {
                return -1;
            }
            ready = d.get(0).targetReplicas();
            return ready;
        }
    }

    @Test
    void stableModeFollowsTheSixtySecondAverage() {
        Driver k = new Driver(2);
        for (int t = 1; t <= 60; t++) {
            k.step(t, 20); // desired ceil(20/10) = 2: no change
        }
        assertEquals(2, k.ready);
        for (int t = 61; t <= 120; t++) {
            k.step(t, 29); // panic average 29 → 3 < 2 × 2: no panic; the stable average creeps up to 29 → 3
        }
        assertEquals(3, k.ready);
    }

    @Test
    void aBurstTriggersPanicWhichScalesAtOnceAndHoldsForAStableWindow() {
        Driver k = new Driver(2);
        for (int t = 1; t <= 60; t++) {
            k.step(t, 15);
        }
        assertEquals(2, k.ready);
        k.step(61, 100);
        // At t = 62 (a decision tick) the 6 s panic window averages (2 × 100 + 4 × 15) / 6 = 43.3 → 5 ≥ 2 × 2 ready.
        // From then on desired-panic / ready stays below 2 (8/5 at 64 s, 10/8 at 66 s), so 62 s is the last trigger;
        // still in panic mode, the count follows the growing panic-window average up.
        assertEquals(5, k.step(62, 100));
        for (int t = 63; t <= 70; t++) {
            k.step(t, 100);
        }
        int peak = k.ready;
        assertEquals(10, peak, "6 s at 100 in flight → ceil(100/10)");
        // Load drops to nothing: no scale-down while panicking, i.e. until a stable window after the last trigger.
        int firstDown = -1;
        for (int t = 71; t <= 200 && firstDown < 0; t++) {
            int r = k.step(t, 0);
            if (r > 0 && r < peak) {
                firstDown = t;
            }
        }
        assertEquals(62 + 60, firstDown);
        assertEquals(peak / 2, k.ready, "scale-down is limited to halving per decision");
    }
}
