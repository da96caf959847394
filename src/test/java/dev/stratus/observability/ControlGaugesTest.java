package dev.stratus.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.slo.SloHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ControlGaugesTest {
    static final long NOW = Instant.parse("2027-01-01T00:00:00Z").toEpochMilli();
    static final List<ControlGauges.Row> ROWS;

    static {
        SloHistory history = new SloHistory(Duration.ofMinutes(5));
        history.record(NOW - 2000, TrafficSample.empty("vad"), 2, 1);
        history.record(NOW, new TrafficSample("vad", 190, 10, 195, 200, 2, 3, 0), 2, 1); // 200 requests in 2 s
        ROWS = ControlGauges.rows(ControlFixture.state(false), history, ControlFixture.PROFILES, NOW);
    }

    static double value(ControlGauges.Series series, Map<String, String> labels) {
        return ROWS.stream().filter(r -> r.series() == series && r.labels().equals(labels)).mapToDouble(
                ControlGauges.Row::value).findFirst().orElseThrow(() -> new AssertionError(series + " " + labels
                + " missing from " + ROWS));
    }

    /** series, labels → value, for the fixture (2+1 vad replicas, ocr-cls serving, starting and failed). */
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of(ControlGauges.Series.REPLICAS, Map.of("model", "vad", "pool", "local-cpu", "state",
                        "serving"), 2.0),
                Arguments.of(ControlGauges.Series.REPLICAS, Map.of("model", "vad", "pool", "local-cpu", "state",
                        "standby"), 1.0),
                Arguments.of(ControlGauges.Series.REPLICAS, Map.of("model", "vad", "pool", "local-cpu", "state",
                        "draining"), 0.0),
                Arguments.of(ControlGauges.Series.REPLICAS, Map.of("model", "ocr-cls", "pool", "local-cpu", "state",
                        "failed"), 1.0),
                Arguments.of(ControlGauges.Series.POOL_REPLICAS, Map.of("pool", "local-cpu"), 5.0), // failed not
                Arguments.of(ControlGauges.Series.POOL_MAX_REPLICAS, Map.of("pool", "local-cpu"), 6.0),
                Arguments.of(ControlGauges.Series.WARM_POOL_TARGET, Map.of("model", "vad", "pool", "local-cpu"), 1.0),
                Arguments.of(ControlGauges.Series.MODEL_MAX_REPLICAS, Map.of("model", "vad"), 3.0),
                Arguments.of(ControlGauges.Series.PLANNED_RATE, Map.of("model", "vad"), 140.0),
                Arguments.of(ControlGauges.Series.PLANNED_RATE, Map.of("model", "ocr-cls"), 50.0), // expected rate
                Arguments.of(ControlGauges.Series.OBSERVED_RATE, Map.of("model", "vad"), 100.0),
                Arguments.of(ControlGauges.Series.OBSERVED_RATE, Map.of("model", "ocr-cls"), 0.0),
                Arguments.of(ControlGauges.Series.SLO_LATENCY, Map.of("model", "vad"), 0.05),
                Arguments.of(ControlGauges.Series.SLO_OBJECTIVE, Map.of("model", "ocr-cls"), 0.99),
                Arguments.of(ControlGauges.Series.PLAN_INFEASIBLE, Map.of(), 0.0));
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @MethodSource("rows")
    void gaugesReadTheControlServicesState(ControlGauges.Series series, Map<String, String> labels, double value) {
        assertEquals(value, value(series, labels), 1e-9);
    }

    @Test
    void costsAreThePlansAndAddUp() {
        double total = value(ControlGauges.Series.PLAN_COST, Map.of());
        assertEquals(ControlFixture.PLAN.costPerHour(), total, 1e-9);
        double models = ROWS.stream().filter(r -> r.series() == ControlGauges.Series.MODEL_PLAN_COST)
                .mapToDouble(ControlGauges.Row::value).sum();
        assertEquals(total, models, 1e-9);
    }

    @Test
    void profileAgeIsFromTheProfilesDate() {
        String hardware = ControlFixture.SPEC.request().pools().get(0).hardwareId();
        String date = ControlFixture.PROFILES.find("vad", hardware).orElseThrow().provenance().date();
        assertEquals((NOW - Instant.parse(date).toEpochMilli()) / 1000.0,
                value(ControlGauges.Series.PROFILE_AGE, Map.of("model", "vad", "hardware", hardware)), 1e-9);
    }

    @Test
    void anInfeasibleReplanShows() {
        List<ControlGauges.Row> rows = ControlGauges.rows(ControlFixture.state(true), new SloHistory(
                Duration.ofMinutes(1)), ControlFixture.PROFILES, NOW);
        assertTrue(rows.stream().anyMatch(r -> r.series() == ControlGauges.Series.PLAN_INFEASIBLE && r.value() == 1));
    }
}
