package dev.stratus.core.autoscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WarmPoolPolicyTest {

    static List<Integer> steps(String spec) {
        return spec.isBlank() ? List.of() : Arrays.stream(spec.trim().split("\\s+")).map(Integer::valueOf).toList();
    }

    @ParameterizedTest(name = "min {0}, serving {1}/max {2}, steps [{3}], burst {4}, growth {5} -> {6}")
    @CsvSource({
            // configuredMin, serving, max, steps, burst, growth, count, wanted, reason fragment
            "1, 3, 10, '', false, 0, 1, 1, 'configured min 1'",
            "0, 3, 10, '', false, 0, 0, 0, 'configured min 0'",
            "1, 3, 10, '2 1 3', false, 0, 3, 3, 'largest recent scale-up step 3'",
            "1, 3, 10, '2', true, 0, 3, 3, 'largest recent scale-up step 2 +1 during a burst'",
            "1, 3, 10, '', true, 0, 2, 2, 'configured min 1 +1 during a burst'",
            "1, 3, 10, '2', false, 4, 4, 4, 'forecast growth of 4'",
            "1, 8, 10, '4', true, 0, 2, 5, 'capped by max 10 - 8 serving'",
            "2, 10, 10, '', false, 0, 0, 2, 'capped'",
            "1, 0, 4, '', false, 0, 1, 1, 'configured min 1'"     // scaled to zero: the pool serves the first request
    })
    void sizesThePool(int configuredMin, int serving, int max, String stepSpec, boolean burst, int growth,
                      int count, int wanted, String fragment) {
        StandbyTarget t = WarmPoolPolicy.DEFAULT.standby(configuredMin, serving, new ReplicaBounds(0, max),
                steps(stepSpec), burst, growth);
        assertEquals(count, t.count(), t.reason());
        assertEquals(wanted, t.wanted(), t.reason());
        assertEquals(count < wanted, t.capped());
        assertTrue(t.reason().contains(fragment), t.reason());
    }

    @Test
    void recentStepsComeFromThisModelsScaleUpsWithinMemory() {
        var log = new EventLog(16);
        log.record(new ScalingEvent(1_000, "a", ScalingEvent.Kind.SCALE_UP, 1, 6, "old"));       // outside memory
        log.record(new ScalingEvent(700_000, "a", ScalingEvent.Kind.SCALE_UP, 2, 4, "r"));
        log.record(new ScalingEvent(710_000, "b", ScalingEvent.Kind.SCALE_UP, 1, 9, "other model"));
        log.record(new ScalingEvent(720_000, "a", ScalingEvent.Kind.PROMOTE_WARM, 0, 2, "not a step"));
        log.record(new ScalingEvent(730_000, "a", ScalingEvent.Kind.SCALE_DOWN, 4, 3, "down"));
        log.record(new ScalingEvent(740_000, "a", ScalingEvent.Kind.SCALE_UP, 3, 6, "r"));
        assertEquals(List.of(2, 3), WarmPoolPolicy.DEFAULT.recentScaleUpSteps(log, "a", 800_000));
    }
}
