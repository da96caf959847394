package dev.stratus.core.autoscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaTargetTest {

    @ParameterizedTest(name = "{0} in [{1}, {2}] -> {3}")
    @CsvSource({
            "5, 1, 8, 5, false, '5 replicas within [1, 8]'",
            "12, 1, 8, 8, true, 'requested 12 replicas, capped at max 8'",
            "0, 2, 8, 2, true, 'requested 0 replicas, raised to min 2'",
            "0, 0, 8, 0, false, '0 replicas within [0, 8]'",
            "8, 8, 8, 8, false, 'within'"
    })
    void clampsIntoBoundsWithReason(int requested, int min, int max, int replicas, boolean clamped, String reason) {
        ReplicaTarget t = ReplicaTarget.clamp(requested, new ReplicaBounds(min, max));
        assertEquals(replicas, t.replicas());
        assertEquals(clamped, t.clamped());
        assertEquals(requested, t.requested());
        assertTrue(t.reason().contains(reason), t.reason());
    }

    @ParameterizedTest(name = "{0}/s at {1}/s each in [{2}, {3}] -> {4}")
    @CsvSource({
            "100, 10, 1, 20, 10",
            "100.0000001, 10, 1, 20, 10",   // float noise does not buy a replica
            "101, 10, 1, 20, 11",
            "0, 10, 1, 20, 1",
            "0, 10, 0, 20, 0",
            "1000, 10, 1, 20, 20"
    })
    void replicasForARate(double rate, double perReplica, int min, int max, int replicas) {
        assertEquals(replicas, ReplicaTarget.forRate(rate, perReplica, new ReplicaBounds(min, max)).replicas());
    }

    @ParameterizedTest(name = "[{0}, {1}]")
    @CsvSource({"-1, 5", "0, 0", "6, 5"})
    void refusesImpossibleBounds(int min, int max) {
        assertThrows(IllegalArgumentException.class, () -> new ReplicaBounds(min, max));
    }
}
