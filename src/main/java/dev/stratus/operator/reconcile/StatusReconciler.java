package dev.stratus.operator.reconcile;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the three reconcilers share: bring the control loop's desired state in line with the resources (cheap when
 * nothing changed), then write this resource's status if it changed. Built and registered by {@link OperatorFactory}
 * in the operator role only; application.properties keeps the reconcilers out of CDI discovery
 * ({@code quarkus.arc.exclude-types}), where the operator SDK's build step would otherwise make beans of them.
 */
// The resource type comes first: JOSDK reads a reconciler's primary type from the first type argument.
abstract class StatusReconciler<R extends CustomResource<?, S>, S> implements Reconciler<R> {
    private final StratusOperator runtime;
    private final boolean ssa;
    private final Function<R, S> status;
    private final Supplier<R> fresh;
    private final SimpleInboundEventSource<R> refreshes;

    StatusReconciler(StratusOperator runtime, boolean ssa, Function<R, S> status, Supplier<R> fresh,
            SimpleInboundEventSource<R> refreshes) {
        this.runtime = runtime;
        this.ssa = ssa;
        this.status = status;
        this.fresh = fresh;
        this.refreshes = refreshes;
    }

    @Override
    public UpdateControl<R> reconcile(R resource, Context<R> context) {
        runtime.syncNow(false);
        if (!runtime.synced()) {
            // Not leading yet, or not planned yet: a status now would be a guess; the first plan refreshes all.
            return UpdateControl.noUpdate();
        }
        return StatusWriter.write(resource, status.apply(resource), ssa, fresh);
    }

    /** The runtime asks for every status to be recomputed through this (plan, fleet or profile changes). */
    @Override
    public List<EventSource<?, R>> prepareEventSources(EventSourceContext<R> context) {
        return List.of(refreshes);
    }
}
