package dev.stratus.core.autoscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The latency feedback rule, fed periods of 2 s on a manual clock (every time is a parameter). */
class LatencyFeedbackTest {
    static final double PREDICTED = 20;

    /**
     * {@code periods} periods of 2 s in which the model shows {@code ratio} times the predicted p99 at
     * {@code rateRatio} times the planned rate, {@code requests} answered, attainment {@code attainment}; returns the
     * factors the rule set, in order.
     */
    static List<Double> run(LatencyFeedback rule, int periods, long startMillis, double ratio, double rateRatio,
            long requests, double attainment) {
        List<Double> changes = new ArrayList<>();
        for (int i = 1; i <= periods; i++) {
            Optional<LatencyFeedback.Correction> c = rule.observe(new LatencyFeedback.Sample("m", "cpu",
                    startMillis + 2000L * i, 2, 100 * rateRatio, 100, PREDICTED * ratio, PREDICTED, requests,
                    attainment, 0.99));
            c.ifPresent(x -> changes.add(x.to()));
        }
        return changes;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case | observed/predicted p99 | observed/planned rate | requests | attainment | periods | factors set
            "slower than profiled: raised once the average settles | 1.6 | 1.0 | 300 | 0.995 | 10 | 1.6",
            "within the dead band: nothing | 1.15 | 1.0 | 300 | 0.995 | 30 | ",
            "faster and meeting the SLO: lowered | 0.6 | 1.0 | 300 | 0.999 | 10 | 0.6",
            "faster but missing the SLO: never loosened | 0.6 | 1.0 | 300 | 0.95 | 30 | ",
            "slower and missing: raised | 1.6 | 1.0 | 300 | 0.95 | 10 | 1.6",
            "too few requests for a p99 | 3.0 | 1.0 | 50 | 0.9 | 30 | ",
            "another load than planned: not comparable | 3.0 | 1.5 | 300 | 0.9 | 30 | ",
            "far slower: at most 2x per change, 30 s apart, 4x in all | 10 | 1.0 | 300 | 0.5 | 60 | 2.0;4.0",
            "far faster: at most half per change, never below 0.5 | 0.1 | 1.0 | 300 | 1.0 | 60 | 0.5"})
    void theRuleCorrectsOnlyOnSettledEvidence(String name, double ratio, double rateRatio, long requests,
            double attainment, int periods, String expected) {
        LatencyFeedback rule = new LatencyFeedback();
        List<Double> changes = run(rule, periods, 0, ratio, rateRatio, requests, attainment);
        List<Double> want = expected == null ? List.of()
                : java.util.Arrays.stream(expected.split(";")).map(Double::valueOf).toList();
        assertEquals(want.size(), changes.size(), name + ": " + changes);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i), changes.get(i), 1e-6, name);
        }
    }

    @Test
    void theFirstChangeWaitsForFivePeriodsOfEvidence() {
        LatencyFeedback rule = new LatencyFeedback();
        assertEquals(List.of(), run(rule, 4, 0, 1.6, 1.0, 300, 0.995));
        assertEquals(1, run(rule, 1, 8_000, 1.6, 1.0, 300, 0.995).size());
        assertEquals(1.6, rule.factor("m", "cpu"), 1e-9);
        assertEquals(1.6, rule.factors().get("m@cpu"), 1e-9);
        assertEquals(1.0, rule.factor("m", "gpu"), "per pool");
    }

    @Test
    void afterAChangeTheAverageRestartsFromTheNewPrediction() {
        LatencyFeedback rule = new LatencyFeedback();
        run(rule, 5, 0, 1.6, 1.0, 300, 0.995);
        // The re-plan now predicts with factor 1.6, and the system matches it: nothing more, however long.
        assertEquals(List.of(), run(rule, 100, 10_000, 1.0, 1.0, 300, 0.995));
        assertEquals(1.6, rule.factor("m", "cpu"), 1e-9);
    }

    @Test
    void aNoisyPeriodIsAveragedAway() {
        LatencyFeedback rule = new LatencyFeedback();
        List<Double> changes = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            double ratio = i % 10 == 0 ? 3.0 : 1.0; // one bad period in ten
            rule.observe(new LatencyFeedback.Sample("m", "cpu", 2000L * i, 2, 100, 100, PREDICTED * ratio, PREDICTED,
                    300, 0.995, 0.99)).ifPresent(c -> changes.add(c.to()));
        }
        assertEquals(List.of(), changes);
    }

    @Test
    void theReasonCarriesTheNumbers() {
        LatencyFeedback rule = new LatencyFeedback();
        List<String> reasons = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            rule.observe(new LatencyFeedback.Sample("ocr-cls", "local-cpu", 2000L * i, 2, 150, 140, 34, 20, 300, 0.97,
                    0.99)).ifPresent(c -> reasons.add(c.reason()));
        }
        assertEquals(1, reasons.size());
        assertTrue(reasons.get(0).contains("observed p99 34.0 ms vs predicted 20.0 ms at 150.0/s (planned 140.0/s)"),
                reasons.get(0));
        assertTrue(reasons.get(0).endsWith("latency factor for ocr-cls on local-cpu 1.00 -> 1.70"), reasons.get(0));
    }

    @Test
    void settingsAreChecked() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LatencyFeedback.Settings(2, 4, 2, 0.2, 20, 5, 200, 0.3, 0));
    }
}
