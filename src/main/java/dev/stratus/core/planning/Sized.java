package dev.stratus.core.planning;

import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.PlanTuple;

/** A candidate tuple with its predicted behaviour: replicas on a curve's pool at one batch size for one rate. */
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

    /** As a plan tuple; the batcher waits at most the fill time the latency prediction assumed. */
    public PlanTuple toTuple() {
        return new PlanTuple(pool(), batch, fillMs, replicas, dispatch, ratePerSecond, worstMs, "");
    }
}
