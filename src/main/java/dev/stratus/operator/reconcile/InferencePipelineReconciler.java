package dev.stratus.operator.reconcile;

import dev.stratus.operator.crd.InferencePipeline;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Ignore;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/**
 * Reconciles InferencePipelines: brings the control loop's desired state in line with the resources (cheap when nothing
 * changed) and writes this one's status when it changed. Registered by {@link OperatorFactory}, not discovered by
 * the operator SDK's build step ({@link Ignore}), so that only the operator role ever builds it.
 */
@Ignore
public class InferencePipelineReconciler implements Reconciler<InferencePipeline> {
    private final StratusOperator runtime;
    private final boolean ssa;

    public InferencePipelineReconciler(StratusOperator runtime, boolean ssa) {
        this.runtime = runtime;
        this.ssa = ssa;
    }

    @Override
    public UpdateControl<InferencePipeline> reconcile(InferencePipeline resource, Context<InferencePipeline> context) {
        runtime.syncNow(false);
        if (!runtime.synced()) {
            // Not leading yet, or not planned yet: a status now would be a guess; the first plan refreshes all.
            return UpdateControl.noUpdate();
        }
        return StatusWriter.write(resource, runtime.pipelineStatus(resource), ssa, InferencePipeline::new);
    }

    @Override
    public List<EventSource<?, InferencePipeline>> prepareEventSources(EventSourceContext<InferencePipeline> context) {
        return List.of(runtime.pipelineEvents);
    }
}
