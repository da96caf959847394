package dev.stratus.core.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Slo;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SloRulesTest {
    static final List<SloTarget> TWO = List.of(new SloTarget("vad", 50, 0.99), new SloTarget("ocr-cls", 100, 0.999));

    @Test
    void perModelRecordingsCoverEveryWindowInSlothNaming() {
        List<Rule.Group> groups = SloRules.generate(TWO);
        assertEquals(List.of("stratus-slo-sli-recordings-vad", "stratus-slo-meta-recordings-vad",
                "stratus-slo-period-recordings-vad", "stratus-slo-alerts-vad", "stratus-slo-sli-recordings-ocr-cls",
                "stratus-slo-meta-recordings-ocr-cls", "stratus-slo-period-recordings-ocr-cls",
                "stratus-slo-alerts-ocr-cls", "stratus-fleet-alerts"), groups.stream().map(Rule.Group::name).toList());
        List<String> records = groups.get(0).rules().stream().map(r -> ((Rule.Recording) r).record()).toList();
        assertEquals(List.of("slo:sli_error:ratio_rate5m", "slo:sli_error:ratio_rate30m", "slo:sli_error:ratio_rate1h",
                "slo:sli_error:ratio_rate2h", "slo:sli_error:ratio_rate6h", "slo:sli_error:ratio_rate1d",
                "slo:sli_error:ratio_rate3d"), records);
        Rule.Recording first = (Rule.Recording) groups.get(0).rules().get(0);
        assertEquals("(sum(rate(stratus_gateway_sli_requests_total{model=\"vad\"}[5m])) - sum(rate("
                + "stratus_gateway_sli_good_requests_total{model=\"vad\"}[5m]))) / sum(rate("
                + "stratus_gateway_sli_requests_total{model=\"vad\"}[5m]))", first.expr());
        assertEquals("stratus-vad-latency", first.labels().get("sloth_id"));
        assertEquals("5m", first.labels().get("sloth_window"));
        assertEquals("vad", first.labels().get("model"));
    }

    /** objective → page threshold of the 1h/5m row, ticket threshold of the 3d/6h row, as written in the rules. */
    static Stream<Arguments> thresholds() {
        return Stream.of(
                Arguments.of(0.99, "> 0.144)", "> 0.01)"),
                Arguments.of(0.999, "> 0.0144)", "> 0.001)"),
                Arguments.of(0.95, "> 0.72)", "> 0.05)"),
                Arguments.of(0.9, "> 1.44)", "> 0.1)")); // a loose objective cannot page on the 1h row
    }

    @ParameterizedTest
    @MethodSource("thresholds")
    void burnRateThresholdsAreFactorTimesBudget(double objective, String page, String ticket) {
        List<Rule.Group> groups = SloRules.generate(List.of(new SloTarget("m", 10, objective)));
        List<Rule.Alert> alerts = groups.get(3).rules().stream().map(Rule.Alert.class::cast).toList();
        assertEquals(SloRules.FAST_BURN_ALERT, alerts.get(0).alert());
        assertTrue(alerts.get(0).expr().contains("slo:sli_error:ratio_rate1h{sloth_id=\"stratus-m-latency\"} " + page),
                alerts.get(0).expr());
        assertEquals("page", alerts.get(0).labels().get("severity"));
        assertEquals(SloRules.SLOW_BURN_ALERT, alerts.get(1).alert());
        assertTrue(alerts.get(1).expr().contains("slo:sli_error:ratio_rate3d{sloth_id=\"stratus-m-latency\"} " + ticket),
                alerts.get(1).expr());
        assertEquals("ticket", alerts.get(1).labels().get("severity"));
    }

    @Test
    void theTableIsTheWorkbooks() {
        // factor = budget consumed x 30 d / long window
        for (BurnRateWindow r : BurnRateWindow.GOOGLE_30D) {
            double factor = r.budgetConsumed() * BurnRateWindow.PERIOD.toHours() / r.longWindow().duration().toHours();
            assertEquals(r.factor(), factor, 1e-9, r.toString());
        }
    }

    @Test
    void onlyModelsWithTheirOwnSloGetRulesAndObjectivesMustLeaveABudget() {
        ModelDemand stage = new ModelDemand("ocr-det", null, 10, List.of(), false, 300, 8);
        ModelDemand vad = new ModelDemand("vad", Slo.of(50), 10, List.of(), false, 300, 8);
        assertEquals(List.of(new SloTarget("vad", 50, 0.99)), SloTarget.of(List.of(stage, vad)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SloTarget.of(List.of(
                new ModelDemand("vad", new Slo(50, 99, 1.0), 10, List.of(), false, 300, 8))));
        assertTrue(e.getMessage().contains("model vad: the objective must be in (0, 1)"), e.getMessage());
        assertEquals(0.01, new SloTarget("vad", 50, 0.99).errorBudget());
    }

    static Stream<Arguments> numbers() {
        return Stream.of(Arguments.of(0.144, "0.144"), Arguments.of(14.4, "14.4"), Arguments.of(30.0, "30"),
                Arguments.of(1e-4, "0.0001"), Arguments.of(0.1 + 0.2, "0.30000000000000004"));
    }

    @ParameterizedTest
    @MethodSource("numbers")
    void numbersArePlainDecimals(double value, String text) {
        assertEquals(text, SloRules.number(value));
    }
}
