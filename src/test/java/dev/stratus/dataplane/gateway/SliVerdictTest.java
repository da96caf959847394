package dev.stratus.dataplane.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SliVerdictTest {
    private static final double SLO_MS = 50;

    /** status, latency ms → verdict. */
    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of(200, 10.0, SliVerdict.GOOD),
                Arguments.of(200, 50.0, SliVerdict.GOOD),       // at the SLO is within it
                Arguments.of(200, 50.1, SliVerdict.BAD),        // late success is bad
                Arguments.of(429, 0.2, SliVerdict.BAD),         // shed counts against the SLO
                Arguments.of(503, 0.2, SliVerdict.BAD),         // no replica
                Arguments.of(504, 30.0, SliVerdict.BAD),        // deadline missed at the worker
                Arguments.of(500, 3.0, SliVerdict.BAD),         // runtime failure
                Arguments.of(502, 3.0, SliVerdict.BAD),         // replica lost
                Arguments.of(400, 1.0, SliVerdict.EXCLUDED),    // the client's error: not part of the SLI
                Arguments.of(404, 1.0, SliVerdict.EXCLUDED),
                Arguments.of(413, 1.0, SliVerdict.EXCLUDED));
    }

    @ParameterizedTest
    @MethodSource("outcomes")
    void eachOutcomeHasOneVerdict(int status, double ms, SliVerdict expected) {
        assertEquals(expected, SliVerdict.of(status, (long) (ms * 1e6), SLO_MS));
    }
}
