package dev.stratus.operator.adapter;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

/**
 * An informer handler for watchers that rebuild their whole view on any change: an add, an update or a delete of
 * any object runs the same action (the routes, the cluster state).
 */
public final class OnAnyChange {
    private OnAnyChange() {
    }

    public static <T> ResourceEventHandler<T> run(Runnable onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.run();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.run();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.run();
            }
        };
    }
}
