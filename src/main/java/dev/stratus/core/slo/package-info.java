/**
 * Service-level objectives as pure functions: each model's objective ({@link dev.stratus.core.slo.SloTarget}), the
 * multi-window multi-burn-rate table ({@link dev.stratus.core.slo.BurnRateWindow}), the one generator of Prometheus
 * recording and alerting rules ({@link dev.stratus.core.slo.SloRules}; serialised elsewhere as a rules file or a
 * PrometheusRule), and the control service's own SLI history ({@link dev.stratus.core.slo.SloHistory}) behind the
 * built-in dashboard. See docs/observability.md.
 */
package dev.stratus.core.slo;
