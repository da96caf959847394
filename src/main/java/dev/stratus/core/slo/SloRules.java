package dev.stratus.core.slo;

import static dev.stratus.core.slo.SeriesNames.ERROR_BUDGET;
import static dev.stratus.core.slo.SeriesNames.ERROR_RATIO_PREFIX;

import dev.stratus.core.slo.BurnRateWindow.Severity;
import dev.stratus.core.slo.BurnRateWindow.Window;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one generator of Stratus' Prometheus rules, from each model's SLO: per model, the SLI error ratio over every
 * window of the burn-rate table, the SLO's meta series and its 30-day error budget, and two multi-window
 * multi-burn-rate alerts (page and ticket, {@link BurnRateWindow#GOOGLE_30D}); then the fleet's own alerts: the
 * warm pool empty while a model scales up, a model at its replica maximum, a pool full, no feasible plan.
 *
 * <p>Names follow Sloth ({@code slo:sli_error:ratio_rate5m}, labels {@code sloth_id}, {@code sloth_service},
 * {@code sloth_slo}, {@code sloth_window}), plus a {@code model} label. Serialised as a Prometheus rules file or a
 * PrometheusRule by {@code dev.stratus.observability.RuleDocuments}.
 */
public final class SloRules {
    public static final String SERVICE = "stratus";
    public static final String FAST_BURN_ALERT = "StratusErrorBudgetFastBurn";
    public static final String SLOW_BURN_ALERT = "StratusErrorBudgetSlowBurn";
    public static final String WARM_POOL_EMPTY_ALERT = "StratusWarmPoolEmptyWhileScaling";
    public static final String MODEL_AT_MAX_ALERT = "StratusModelAtMaxReplicas";
    public static final String POOL_AT_MAX_ALERT = "StratusPoolAtMaxReplicas";
    public static final String PLAN_INFEASIBLE_ALERT = "StratusPlanInfeasible";
    /** Scaling kinds that mean "a model is getting more serving replicas" (metric label values). */
    static final String SCALE_UP_KINDS = "scale_up|promote_warm|start_cold";

    private SloRules() {
    }

    /** Every rule group for these models, in evaluation order (a model's recordings before its alerts). */
    public static List<Rule.Group> generate(List<SloTarget> targets) {
        List<Rule.Group> groups = new ArrayList<>();
        for (SloTarget t : targets) {
            groups.add(new Rule.Group("stratus-slo-sli-recordings-" + t.model(), "", sliRecordings(t)));
            groups.add(new Rule.Group("stratus-slo-meta-recordings-" + t.model(), "", metaRecordings(t)));
            groups.add(new Rule.Group("stratus-slo-period-recordings-" + t.model(), "", periodRecordings(t)));
            groups.add(new Rule.Group("stratus-slo-alerts-" + t.model(), "", burnRateAlerts(t)));
        }
        groups.add(new Rule.Group("stratus-fleet-alerts", "", fleetAlerts()));
        return groups;
    }

    /** The id Sloth would give this SLO: {@code <service>-<slo>}. */
    public static String slothId(SloTarget t) {
        return SERVICE + "-" + sloName(t);
    }

    static String sloName(SloTarget t) {
        return t.model() + "-latency";
    }

    private static Map<String, String> sloLabels(SloTarget t) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("model", t.model());
        labels.put("sloth_id", slothId(t));
        labels.put("sloth_service", SERVICE);
        labels.put("sloth_slo", sloName(t));
        return labels;
    }

    private static Map<String, String> windowLabels(SloTarget t, String window) {
        Map<String, String> labels = sloLabels(t);
        labels.put("sloth_window", window);
        return labels;
    }

    private static String selector(SloTarget t) {
        return "{sloth_id=\"" + slothId(t) + "\"}";
    }

    private static List<Rule> sliRecordings(SloTarget t) {
        String model = "{model=\"" + t.model() + "\"}";
        List<Rule> rules = new ArrayList<>();
        for (Window w : Window.values()) {
            String total = "sum(rate(" + SeriesNames.SLI_REQUESTS + model + "[" + w.promql() + "]))";
            String good = "sum(rate(" + SeriesNames.SLI_GOOD_REQUESTS + model + "[" + w.promql() + "]))";
            rules.add(new Rule.Recording(ERROR_RATIO_PREFIX + w.promql(),
                    "(" + total + " - " + good + ") / " + total, windowLabels(t, w.promql())));
        }
        return rules;
    }

    private static List<Rule> metaRecordings(SloTarget t) {
        String budget = number(t.errorBudget());
        return List.of(
                new Rule.Recording(SeriesNames.OBJECTIVE, "vector(" + number(t.objective()) + ")", sloLabels(t)),
                new Rule.Recording(ERROR_BUDGET, "vector(" + budget + ")", sloLabels(t)),
                new Rule.Recording(SeriesNames.TIME_PERIOD_DAYS, "vector(" + BurnRateWindow.PERIOD.toDays() + ")",
                        sloLabels(t)),
                new Rule.Recording(SeriesNames.CURRENT_BURN_RATE, ERROR_RATIO_PREFIX + Window.M5.promql()
                        + selector(t) + " / " + budget, sloLabels(t)),
                new Rule.Recording(SeriesNames.PERIOD_BURN_RATE, ERROR_RATIO_PREFIX + "30d" + selector(t) + " / "
                        + budget, sloLabels(t)),
                new Rule.Recording(SeriesNames.PERIOD_BUDGET_REMAINING, "1 - " + SeriesNames.PERIOD_BURN_RATE
                        + selector(t), sloLabels(t)));
    }

    /**
     * The 30-day error ratio from the raw counters: a true request-weighted ratio. (Sloth averages the 5-minute
     * ratios instead, which weighs a quiet night like a busy day and turns NaN for good once one idle window is.)
     */
    private static List<Rule> periodRecordings(SloTarget t) {
        String model = "{model=\"" + t.model() + "\"}";
        String total = "sum(increase(" + SeriesNames.SLI_REQUESTS + model + "[30d]))";
        String good = "sum(increase(" + SeriesNames.SLI_GOOD_REQUESTS + model + "[30d]))";
        return List.of(new Rule.Recording(ERROR_RATIO_PREFIX + "30d", "(" + total + " - " + good + ") / " + total,
                windowLabels(t, "30d")));
    }

    private static List<Rule> burnRateAlerts(SloTarget t) {
        List<Rule> alerts = new ArrayList<>();
        for (Severity severity : Severity.values()) {
            List<BurnRateWindow> rows = BurnRateWindow.GOOGLE_30D.stream().filter(r -> r.severity() == severity)
                    .toList();
            List<String> terms = new ArrayList<>();
            List<String> described = new ArrayList<>();
            for (BurnRateWindow r : rows) {
                String threshold = number(r.threshold(t.errorBudget()));
                terms.add("(" + windowAbove(t, r.shortWindow(), threshold) + "\n  and\n  "
                        + windowAbove(t, r.longWindow(), threshold) + ")");
                described.add(number(r.factor()) + "x over " + r.longWindow().promql() + " and "
                        + r.shortWindow().promql());
            }
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("model", t.model());
            labels.put("severity", severity.label());
            labels.put("sloth_severity", severity.label());
            labels.put("sloth_id", slothId(t));
            labels.put("sloth_service", SERVICE);
            labels.put("sloth_slo", sloName(t));
            Map<String, String> annotations = Map.of(
                    "summary", "Model {{ $labels.model }} is burning its latency error budget too fast ("
                            + severity.label() + ")",
                    "description", String.format("More than the allowed share of %s requests missed the %s ms SLO "
                                    + "(objective %s, 30-day budget): burn rate above %s.", t.model(),
                            number(t.latencyMs()), number(t.objective()), String.join(", or ", described)));
            alerts.add(new Rule.Alert(severity == Severity.PAGE ? FAST_BURN_ALERT : SLOW_BURN_ALERT,
                    String.join("\nor\n", terms), "", labels, annotations));
        }
        return alerts;
    }

    private static String windowAbove(SloTarget t, Window w, String threshold) {
        return "max(" + ERROR_RATIO_PREFIX + w.promql() + selector(t) + " > " + threshold
                + ") without (sloth_window)";
    }

    private static List<Rule> fleetAlerts() {
        String ticket = Severity.TICKET.label();
        return List.of(
                new Rule.Alert(WARM_POOL_EMPTY_ALERT,
                        "(sum by (model) (" + SeriesNames.WARM_POOL_TARGET + ") > 0)\n"
                                + "and on (model)\n(sum by (model) (" + SeriesNames.REPLICAS
                                + "{state=\"standby\"}) == 0)\n"
                                + "and on (model)\n(sum by (model) (increase(" + SeriesNames.SCALING_EVENTS
                                + "{kind=~\"" + SCALE_UP_KINDS + "\"}[10m])) > 0)",
                        "2m", Map.of("severity", ticket), Map.of(
                        "summary", "Model {{ $labels.model }} is scaling up with an empty warm pool",
                        "description", "Model {{ $labels.model }} added serving replicas in the last 10 minutes and "
                                + "has had no warm standby for 2 minutes although its warm pool target is above "
                                + "zero: further scale-ups start cold.")),
                new Rule.Alert(MODEL_AT_MAX_ALERT,
                        "sum by (model, pool) (" + SeriesNames.REPLICAS + "{state=\"serving\"})\n>= on (model) "
                                + "group_left\nmax by (model) (" + SeriesNames.MODEL_MAX_REPLICAS + ")",
                        "10m", Map.of("severity", ticket), Map.of(
                        "summary", "Model {{ $labels.model }} is at its maximum serving replicas in pool "
                                + "{{ $labels.pool }}",
                        "description", "Model {{ $labels.model }} has served at its scaling maximum for 10 minutes: "
                                + "more load cannot be absorbed; raise maxReplicas or expect shedding.")),
                new Rule.Alert(POOL_AT_MAX_ALERT,
                        "max by (pool) (" + SeriesNames.POOL_REPLICAS + ")\n>= on (pool)\nmax by (pool) ("
                                + SeriesNames.POOL_MAX_REPLICAS + ")",
                        "10m", Map.of("severity", ticket), Map.of(
                        "summary", "Pool {{ $labels.pool }} is full",
                        "description", "Pool {{ $labels.pool }} has held its maximum number of replicas for 10 "
                                + "minutes: the planner cannot place more there.")),
                new Rule.Alert(PLAN_INFEASIBLE_ALERT,
                        "max(" + SeriesNames.PLAN_INFEASIBLE + ") > 0",
                        "1m", Map.of("severity", ticket), Map.of(
                        "summary", "No feasible plan for the forecast load",
                        "description", "The control loop found no plan that meets every SLO within the pools for "
                                + "1 minute and keeps the current fleet; the admin API's events say which model "
                                + "and constraint.")));
    }

    /** A number as PromQL and people write it: 0.144, 14.4, 30 (no binary noise, no trailing zeros). */
    static String number(double value) {
        BigDecimal d = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
