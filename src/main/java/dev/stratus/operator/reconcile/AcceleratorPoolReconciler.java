package dev.stratus.operator.reconcile;

import dev.stratus.operator.crd.AcceleratorPool;
import dev.stratus.resource.AcceleratorPoolStatus;
import io.javaoperatorsdk.operator.api.reconciler.Ignore;

/** Reconciles AcceleratorPools (see {@link StatusReconciler}). */
@Ignore
public class AcceleratorPoolReconciler extends StatusReconciler<AcceleratorPool, AcceleratorPoolStatus> {
    public AcceleratorPoolReconciler(StratusOperator runtime, boolean ssa) {
        super(runtime, ssa, runtime::poolStatus, AcceleratorPool::new, runtime.poolEvents);
    }
}
