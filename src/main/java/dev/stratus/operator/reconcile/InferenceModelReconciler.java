package dev.stratus.operator.reconcile;

import dev.stratus.operator.crd.InferenceModel;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Ignore;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/**
 * Reconciles InferenceModels: brings the control loop's desired state in line with the resources (cheap when nothing
 * changed) and writes this one's status when it changed. Registered by {@link OperatorFactory}, not discovered by
 * the operator SDK's build step ({@link Ignore}), so that only the operator role ever builds it.
 */
@Ignore
public class InferenceModelReconciler implements Reconciler<InferenceModel> {
    private final StratusOperator runtime;
    private final boolean ssa;

    public InferenceModelReconciler(StratusOperator runtime, boolean ssa) {
        this.runtime = runtime;
        this.ssa = ssa;
    }

    @Override
    public UpdateControl<InferenceModel> reconcile(InferenceModel resource, Context<InferenceModel> context) {
        runtime.syncNow(false);
        if (!runtime.synced()) {
            // Not leading yet, or not planned yet: a status now would be a guess; the first plan refreshes all.
            return UpdateControl.noUpdate();
        }
        return StatusWriter.write(resource, runtime.modelStatus(resource), ssa, InferenceModel::new);
    }

    @Override
    public List<EventSource<?, InferenceModel>> prepareEventSources(EventSourceContext<InferenceModel> context) {
        return List.of(runtime.modelEvents);
    }
}
