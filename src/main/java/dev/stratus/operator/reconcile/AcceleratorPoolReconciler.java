package dev.stratus.operator.reconcile;

import dev.stratus.operator.crd.AcceleratorPool;
import dev.stratus.resource.AcceleratorPoolStatus;

/** Reconciles AcceleratorPools (see {@link StatusReconciler}). */
public class AcceleratorPoolReconciler extends StatusReconciler<AcceleratorPool, AcceleratorPoolStatus> {
    public AcceleratorPoolReconciler(StratusOperator runtime, boolean ssa) {
        super(runtime, ssa, runtime::poolStatus, AcceleratorPool::new, runtime.poolEvents);
    }
}
