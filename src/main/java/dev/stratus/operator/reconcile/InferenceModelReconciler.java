package dev.stratus.operator.reconcile;

import dev.stratus.operator.crd.InferenceModel;
import dev.stratus.resource.InferenceModelStatus;
import io.javaoperatorsdk.operator.api.reconciler.Ignore;

/** Reconciles InferenceModels (see {@link StatusReconciler}). */
@Ignore
public class InferenceModelReconciler extends StatusReconciler<InferenceModel, InferenceModelStatus> {
    public InferenceModelReconciler(StratusOperator runtime, boolean ssa) {
        super(runtime, ssa, runtime::modelStatus, InferenceModel::new, runtime.modelEvents);
    }
}
