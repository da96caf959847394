package dev.stratus.operator.reconcile;

import dev.stratus.operator.adapter.OnAnyChange;
import dev.stratus.operator.crd.AcceleratorPool;
import dev.stratus.operator.crd.InferenceModel;
import dev.stratus.operator.crd.InferencePipeline;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The operator's view of the three kinds in its namespace, kept by watches: the control loop plans them all
 * together, so each reconciler needs every resource, not only its own.
 */
final class ClusterState implements AutoCloseable {
    private final SharedIndexInformer<AcceleratorPool> pools;
    private final SharedIndexInformer<InferenceModel> models;
    private final SharedIndexInformer<InferencePipeline> pipelines;

    ClusterState(KubernetesClient client, String namespace, Runnable onChange) {
        pools = client.resources(AcceleratorPool.class).inNamespace(namespace).inform(OnAnyChange.run(onChange));
        models = client.resources(InferenceModel.class).inNamespace(namespace).inform(OnAnyChange.run(onChange));
        pipelines = client.resources(InferencePipeline.class).inNamespace(namespace).inform(OnAnyChange.run(onChange));
    }

    List<AcceleratorPool> pools() {
        return sorted(pools.getStore().list());
    }

    List<InferenceModel> models() {
        return sorted(models.getStore().list());
    }

    List<InferencePipeline> pipelines() {
        return sorted(pipelines.getStore().list());
    }

    Optional<InferenceModel> model(String name) {
        return models().stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst();
    }

    Optional<AcceleratorPool> pool(String name) {
        return pools().stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst();
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> sorted(List<T> items) {
        return items.stream().sorted(Comparator.comparing(i -> i.getMetadata().getName())).toList();
    }

    @Override
    public void close() {
        pools.close();
        models.close();
        pipelines.close();
    }
}
