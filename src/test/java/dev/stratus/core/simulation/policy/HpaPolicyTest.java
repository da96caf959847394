package dev.stratus.core.simulation.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.simulation.ScalingDecision;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HpaPolicyTest {
    private final HpaSettings defaults = HpaSettings.defaults(); // target 70 %, tolerance 10 %

    static Stream<Arguments> recommendations() {
        // utilisation, ready, starting, expected recommendation
        return Stream.of(
                Arguments.of(0.70, 10, 0, 10),  // on target
                Arguments.of(0.76, 10, 0, 10),  // ratio 1.086: within tolerance
                Arguments.of(0.64, 10, 0, 10),  // ratio 0.914: within tolerance
                Arguments.of(0.80, 10, 0, 12),  // ratio 1.143 → ceil(11.43)
                Arguments.of(0.35, 10, 0, 5),   // ratio 0.5
                Arguments.of(1.00, 4, 0, 6),    // saturated: ceil(5.71)
                Arguments.of(1.00, 4, 2, 6),    // unready pods as 0 %: 4/(0.7·6) = 0.95 → no change
                Arguments.of(1.00, 4, 1, 6),    // 4/(0.7·5) = 1.143 → ceil(5.71)
                Arguments.of(0.50, 0, 3, 3));   // no ready pods: no metrics, no change
    }

    @ParameterizedTest(name = "util {0}, {1} ready + {2} starting → {3}")
    @MethodSource("recommendations")
    void replicaCalculator(double utilisation, int ready, int starting, int expected) {
        assertEquals(expected, new HpaPolicy(defaults).recommend(utilisation, ready, starting));
    }

    @Test
    void actsOnlyEverySyncPeriodOnTheUtilisationOverThatPeriod() {
        HpaPolicy hpa = new HpaPolicy(defaults);
        for (int t = 1; t < 15; t++) {
            assertEquals(List.of(), hpa.onTick(Snapshots.utilisation(t, 10, 0, 0.98)));
        }
        // Mean over the 15 s: (14 × 0.98 + 0.14) / 15 = 0.924 → ratio 1.32 → 14 replicas.
        List<ScalingDecision> d = hpa.onTick(Snapshots.utilisation(15, 10, 0, 0.14));
        assertEquals(1, d.size());
        assertEquals(14, d.get(0).targetReplicas());
    }

    @Test
    void scaleUpIsLimitedToDoublingOrFourPodsPerPeriod() {
        HpaPolicy hpa = new HpaPolicy(new HpaSettings(0.1, 0.1, 1, 300, 100, 4, 1, 1000));
        // 1.0/0.1 = ratio 10 → recommendation 20 from 2 ready; limit max(2 × 2, 2 + 4) = 6.
        assertEquals(6, hpa.onTick(Snapshots.utilisation(1, 2, 0, 1.0)).get(0).targetReplicas());
    }

    @Test
    void scaleDownWaitsForTheStabilisationWindow() {
        HpaPolicy hpa = new HpaPolicy(defaults);
        int replicas = 10;
        Integer scaledDownAt = null;
        for (int t = 1; t <= 400; t++) {
            double util = t <= 15 ? 0.70 : 0.35; // the 15 s recommendation is 10, every later one 5
            List<ScalingDecision> d = hpa.onTick(Snapshots.utilisation(t, replicas, 0, util));
            if (!d.isEmpty()) {
                replicas = d.get(0).targetReplicas();
                if (scaledDownAt == null) {
                    scaledDownAt = t;
                }
            }
        }
        // The recommendation of 10 made at 15 s holds the count until it leaves the 300 s window, at the sync of 315 s.
        assertEquals(315, scaledDownAt);
        assertEquals(5, replicas);
    }

    @Test
    void neverBelowMinOrAboveMax() {
        HpaPolicy hpa = new HpaPolicy(new HpaSettings(0.7, 0.1, 1, 0, 100, 4, 2, 3));
        assertEquals(2, hpa.onTick(Snapshots.utilisation(1, 3, 0, 0.0)).get(0).targetReplicas());
        assertTrue(hpa.onTick(Snapshots.utilisation(2, 3, 0, 1.0)).isEmpty(), "at max: no change");
    }
}
