package dev.stratus.dataplane.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.fleet.TrafficSample;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TrafficLedgerTest {
    private static final double SLO_MS = 50;

    /** status, latency ms → counted in total?, counted good? (the verdicts themselves: SliVerdictTest) */
    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of(200, 10.0, 1, 1),
                Arguments.of(200, 50.1, 1, 0),
                Arguments.of(429, 0.2, 1, 0),
                Arguments.of(400, 1.0, 0, 0));
    }

    @ParameterizedTest
    @MethodSource("outcomes")
    void eachOutcomeCountsTowardsTheSli(int status, double ms, int total, int good) {
        TrafficLedger ledger = new TrafficLedger(m -> 0);
        end(ledger, status, (long) (ms * 1e6));
        TrafficSample s = ledger.sample("vad");
        assertEquals(total, s.total());
        assertEquals(good, s.good());
    }

    /** As the gateway ends a request. */
    private static void end(TrafficLedger ledger, int status, long nanos) {
        ledger.ended("vad", SliVerdict.of(status, nanos, SLO_MS), status < 400, nanos);
    }

    @Test
    void samplesAreDifferencesSinceTheLastLook() {
        int[] inFlight = {3};
        TrafficLedger ledger = new TrafficLedger(m -> inFlight[0]);
        for (int i = 1; i <= 100; i++) {
            ledger.admitted("vad");
            end(ledger, 200, i * 1_000_000L); // 1..100 ms
        }
        ledger.shed("vad");
        TrafficSample first = ledger.sample("vad");
        assertEquals(100, first.admitted());
        assertEquals(1, first.shed());
        assertEquals(100, first.total());
        assertEquals(50, first.good());
        assertEquals(0.5, first.attainment(), 1e-9);
        assertEquals(50, first.p50Ms(), 0.5);
        assertEquals(99, first.p99Ms(), 0.5);
        assertEquals(3, first.inFlight());

        ledger.admitted("vad");
        end(ledger, 200, 2_000_000L);
        TrafficSample second = ledger.sample("vad");
        assertEquals(1, second.admitted());
        assertEquals(0, second.shed());
        assertEquals(1, second.total());
        assertEquals(1, second.good());
        assertEquals(2, second.p99Ms(), 0.01);

        TrafficSample idle = ledger.sample("vad");
        assertEquals(0, idle.total());
        assertTrue(Double.isNaN(idle.p99Ms()));
        assertTrue(Double.isNaN(idle.attainment()));
        assertEquals(100 + 1, ledger.admittedTotal("vad"));
        assertEquals(1, ledger.shedTotal("vad"));
    }

    @Test
    void anUnseenModelGivesAnEmptySample() {
        TrafficSample s = new TrafficLedger(m -> 0).sample("nope");
        assertEquals(TrafficSample.empty("nope"), s);
    }
}
