package dev.stratus.operator.reconcile;

import dev.stratus.operator.crd.InferencePipeline;
import dev.stratus.resource.InferencePipelineStatus;

/** Reconciles InferencePipelines (see {@link StatusReconciler}). */
public class InferencePipelineReconciler extends StatusReconciler<InferencePipeline, InferencePipelineStatus> {
    public InferencePipelineReconciler(StratusOperator runtime, boolean ssa) {
        super(runtime, ssa, runtime::pipelineStatus, InferencePipeline::new, runtime.pipelineEvents);
    }
}
