package dev.stratus.operator.adapter;

import dev.stratus.core.model.profile.Profile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Saving a profile into the cluster from a process that is not the operator (the profiling Job's container). */
public final class KubernetesProfiles {
    private KubernetesProfiles() {
    }

    /** Stores the profile as its ConfigMap in {@code namespace}, with the in-cluster (or kubeconfig) credentials. */
    public static void save(String namespace, Profile profile) {
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            new KubernetesProfileStore(client, namespace).save(profile);
        }
    }

    public static String name(Profile profile) {
        return KubernetesProfileStore.name(profile.model(), profile.hardwareId());
    }
}
