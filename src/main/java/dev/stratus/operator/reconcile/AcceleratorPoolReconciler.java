package dev.stratus.operator.reconcile;

import dev.stratus.operator.crd.AcceleratorPool;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Ignore;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/**
 * Reconciles AcceleratorPools: brings the control loop's desired state in line with the resources (cheap when nothing
 * changed) and writes this one's status when it changed. Registered by {@link OperatorFactory}, not discovered by
 * the operator SDK's build step ({@link Ignore}), so that only the operator role ever builds it.
 */
@Ignore
public class AcceleratorPoolReconciler implements Reconciler<AcceleratorPool> {
    private final StratusOperator runtime;
    private final boolean ssa;

    public AcceleratorPoolReconciler(StratusOperator runtime, boolean ssa) {
        this.runtime = runtime;
        this.ssa = ssa;
    }

    @Override
    public UpdateControl<AcceleratorPool> reconcile(AcceleratorPool resource, Context<AcceleratorPool> context) {
        runtime.syncNow(false);
        if (!runtime.synced()) {
            // Not leading yet, or not planned yet: a status now would be a guess; the first plan refreshes all.
            return UpdateControl.noUpdate();
        }
        return StatusWriter.write(resource, runtime.poolStatus(resource), ssa, AcceleratorPool::new);
    }

    @Override
    public List<EventSource<?, AcceleratorPool>> prepareEventSources(EventSourceContext<AcceleratorPool> context) {
        return List.of(runtime.poolEvents);
    }
}
