package dev.stratus.core.autoscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stratus.core.model.profile.ColdStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeadTimeTest {
    static final ColdStart CACHED = new ColdStart(400, 900, 120, 580.5, true);      // 2000.5 ms
    static final ColdStart UNCACHED = new ColdStart(400, 6500, 120, 580, false);    // 7600 ms

    @ParameterizedTest(name = "period {0} ms, cache available {1} -> {2} ms")
    @CsvSource({
            "0, true, 2001",
            "5000, true, 7001",
            "5000, false, 12600",
            "1000, false, 8600"
    })
    void leadIsColdStartPlusOnePeriod(long period, boolean cacheAvailable, long lead) {
        assertEquals(lead, new LeadTime(period).coldStartLeadMillis(CACHED, UNCACHED, cacheAvailable));
    }

    @Test
    void singleColdStartOverload() {
        assertEquals(2001 + 2000, new LeadTime(2000).coldStartLeadMillis(CACHED));
    }

    @ParameterizedTest(name = "trend {0}/s², lead {1} ms, {2}/s per replica -> {3} replicas, projected {4}/s")
    @CsvSource({
            "2, 7000, 10, 2, 114",      // +14/s within the lead: two replicas of 10/s
            "1, 10000, 10, 1, 110",
            "0, 10000, 10, 0, 100",
            "-3, 10000, 10, 0, 100",    // falling demand needs no lead
            "0.5, 60000, 15, 2, 130"
    })
    void growthWithinTheLead(double trend, long lead, double perReplica, int replicas, double projected) {
        var f = new Forecast("m", 0, 90.9, 90.9, trend, false, 100, Forecast.Basis.EWMA);
        assertEquals(replicas, LeadTime.growthReplicas(f, lead, perReplica));
        assertEquals(projected, LeadTime.projectedRate(f, lead), 1e-9);
    }

    @ParameterizedTest(name = "{0} serving + {1} standby at {2}/s vs {3}/s -> {4}")
    @CsvSource({
            "10, 2, 10, 114, true",
            "10, 1, 10, 114, false",
            "10, 0, 10, 100, true",
            "0, 1, 10, 10, true",
            "0, 0, 10, 0.5, false"
    })
    void poolCoversProjectedRate(int serving, int standby, double perReplica, double projected, boolean covers) {
        assertEquals(covers, LeadTime.poolCovers(serving, standby, perReplica, projected));
    }
}
