package dev.stratus.operator.reconcile;

import dev.stratus.operator.crd.InferenceModel;
import dev.stratus.resource.InferenceModelStatus;

/** Reconciles InferenceModels (see {@link StatusReconciler}). */
public class InferenceModelReconciler extends StatusReconciler<InferenceModel, InferenceModelStatus> {
    public InferenceModelReconciler(StratusOperator runtime, boolean ssa) {
        super(runtime, ssa, runtime::modelStatus, InferenceModel::new, runtime.modelEvents);
    }
}
