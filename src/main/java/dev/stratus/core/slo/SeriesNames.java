package dev.stratus.core.slo;

/**
 * The Prometheus names the generated rules and the dashboards read. The exporters (Micrometer meters in
 * {@code dev.stratus.metrics}) must produce exactly these; the rule and dashboard tests check it against a real
 * {@code /q/metrics}.
 */
public final class SeriesNames {
    private SeriesNames() {
    }

    /** Requests that count for the SLO (client errors excluded), per model. */
    public static final String SLI_REQUESTS = "stratus_gateway_sli_requests_total";
    /** Requests answered successfully within the model's latency SLO, per model. */
    public static final String SLI_GOOD_REQUESTS = "stratus_gateway_sli_good_requests_total";
    /** Replicas by model, pool and state (serving, standby, starting, draining, failed). */
    public static final String REPLICAS = "stratus_replicas";
    /** Standby replicas the warm pool aims for, per model and pool. */
    public static final String WARM_POOL_TARGET = "stratus_warm_pool_target_replicas";
    /** Largest number of serving replicas a model may have (its scaling bound), per model. */
    public static final String MODEL_MAX_REPLICAS = "stratus_model_max_replicas";
    /** Replicas occupying a pool (any state but failed), per pool. */
    public static final String POOL_REPLICAS = "stratus_pool_replicas";
    /** The pool's capacity in replicas, per pool. */
    public static final String POOL_MAX_REPLICAS = "stratus_pool_max_replicas";
    /** 1 while the last re-plan found no feasible plan (the fleet is kept as it was), else 0. */
    public static final String PLAN_INFEASIBLE = "stratus_plan_infeasible";
    /** Scaling decisions and actions, by kind and model. */
    public static final String SCALING_EVENTS = "stratus_scaling_events_total";

    /** Recording rule names, in Sloth's naming so that Sloth dashboards read them too. */
    public static final String ERROR_RATIO_PREFIX = "slo:sli_error:ratio_rate";
    public static final String OBJECTIVE = "slo:objective:ratio";
    public static final String ERROR_BUDGET = "slo:error_budget:ratio";
    public static final String TIME_PERIOD_DAYS = "slo:time_period:days";
    public static final String CURRENT_BURN_RATE = "slo:current_burn_rate:ratio";
    public static final String PERIOD_BURN_RATE = "slo:period_burn_rate:ratio";
    public static final String PERIOD_BUDGET_REMAINING = "slo:period_error_budget_remaining:ratio";
}
