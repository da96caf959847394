package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.PlanTuple;

/**
 * A candidate tuple with its predicted behaviour: replicas on a curve's pool at one batch size for one rate;
 * {@code fillMs} is the batcher's max queue delay ({@link Queueing#maxQueueDelayMs}).
 */
public record Sized(ServiceCurve curve, int batch, int replicas, double ratePerSecond, double fillMs, double worstMs,
                    DispatchPolicy dispatch) {

    public double costPerHour() {
        return replicas * curve.costPerHour();
    }

    public double utilisation() {
        return Queueing.utilisation(batch, replicas, ratePerSecond, curve.meanMs(batch));
    }

    public String pool() {
        return curve.pool().name();
    }

    /** As a plan tuple; the batcher waits at most the time 99 % of its batches take to fill. */
    public PlanTuple toTuple() {
        return new PlanTuple(pool(), batch, fillMs, replicas, dispatch, ratePerSecond, worstMs, "");
    }
}
