package dev.stratus.core.autoscaling;

/**
 * Hysteresis on the planned rate: re-plan only when the forecast leaves a band around what is currently planned for.
 * The band is asymmetric (up 10 %, down 30 %) and scale-down additionally waits a minimum interval after the last
 * change, because an unneeded replica costs money while a missing one costs SLO violations.
 *
 * <p>Rules, in order:
 * <ul>
 *   <li>nothing planned yet (current ≤ 0) and positive forecast → UP;</li>
 *   <li>forecast &gt; current × (1 + up), or a burst with forecast &gt; current → UP, once {@code minIntervalUpMillis}
 *       has passed since the last change (default 0: never delay a scale-up);</li>
 *   <li>forecast &lt; current × (1 − down), no burst, and {@code minIntervalDownMillis} passed → DOWN;</li>
 *   <li>otherwise HOLD, with the reason it held.</li>
 * </ul>
 * The up tolerance mirrors the HPA's 10 % dead band; the wider down band and the separate down interval are our own
 * (the HPA uses one tolerance and delays scale-down with its stabilisation window, which the forecaster's peak hold
 * already provides, so this interval only spaces successive scale-downs apart).
 */
public record ReplanRule(
        double upThreshold,
        double downThreshold,
        long minIntervalUpMillis,
        long minIntervalDownMillis) {

    public static final ReplanRule DEFAULT = new ReplanRule(0.10, 0.30, 0, 30_000);

    public ReplanRule {
        if (!(upThreshold >= 0) || !(downThreshold >= 0) || !(downThreshold < 1)) {
            throw new IllegalArgumentException("thresholds must satisfy up >= 0 and 0 <= down < 1");
        }
        if (minIntervalUpMillis < 0 || minIntervalDownMillis < 0) {
            throw new IllegalArgumentException("minimum intervals must be >= 0");
        }
    }

    /**
     * @param currentPlannedRate rate the current plan was sized for (0 when the model has no plan yet)
     * @param nowMillis          time of this decision, same clock as {@code lastChangeMillis}
     * @param lastChangeMillis   time of the last UP or DOWN for this model (use {@link Long#MIN_VALUE} for never)
     */
    public Decision decide(String model, double currentPlannedRate, Forecast forecast, long nowMillis,
                           long lastChangeMillis) {
        if (!(currentPlannedRate >= 0)) {
            throw new IllegalArgumentException("currentPlannedRate must be >= 0: " + currentPlannedRate);
        }
        double want = forecast.plannedRate();
        // Saturating subtraction: "never changed" must not overflow into a negative age.
        long sinceChange = lastChangeMillis == Long.MIN_VALUE ? Long.MAX_VALUE
                : Math.max(0, nowMillis - lastChangeMillis);
        String detail = " (" + forecast.describe() + ")";

        if (currentPlannedRate <= 0) {
            return want > 0
                    ? new Decision(model, Decision.Kind.UP, want, "no plan yet: forecast " + Fmt.rate(want) + detail)
                    : hold(model, currentPlannedRate, "no plan and no demand");
        }
        double upBound = currentPlannedRate * (1 + upThreshold);
        double downBound = currentPlannedRate * (1 - downThreshold);
        boolean overBand = want > upBound;
        boolean burstUp = forecast.burst() && want > currentPlannedRate;
        if (overBand || burstUp) {
            String why = (overBand ? "" : "burst: ") + "forecast " + Fmt.rate(want) + " > planned "
                    + Fmt.rate(currentPlannedRate) + (overBand ? " +" + Fmt.percent(upThreshold) : "") + detail;
            if (sinceChange < minIntervalUpMillis) {
                return hold(model, currentPlannedRate, why + " but only " + Fmt.seconds(sinceChange)
                        + " since the last change (< " + Fmt.seconds(minIntervalUpMillis) + ")");
            }
            return new Decision(model, Decision.Kind.UP, want, why);
        }
        if (want < downBound) {
            String why = "forecast " + Fmt.rate(want) + " < planned " + Fmt.rate(currentPlannedRate) + " -"
                    + Fmt.percent(downThreshold);
            if (forecast.burst()) {
                // Knative's rule: never scale down while panicking.
                return hold(model, currentPlannedRate, why + " but a burst is under way" + detail);
            }
            if (sinceChange < minIntervalDownMillis) {
                return hold(model, currentPlannedRate, why + " but only " + Fmt.seconds(sinceChange)
                        + " since the last change (< " + Fmt.seconds(minIntervalDownMillis) + ")" + detail);
            }
            return new Decision(model, Decision.Kind.DOWN, want, why + detail);
        }
        return hold(model, currentPlannedRate, "forecast " + Fmt.rate(want) + " within [" + Fmt.rate(downBound)
                + ", " + Fmt.rate(upBound) + "] of planned " + Fmt.rate(currentPlannedRate) + detail);
    }

    private static Decision hold(String model, double current, String reason) {
        return new Decision(model, Decision.Kind.HOLD, current, reason);
    }
}
