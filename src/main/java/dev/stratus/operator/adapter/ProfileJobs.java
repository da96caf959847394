package dev.stratus.operator.adapter;

import dev.stratus.core.model.ModelSource;
import dev.stratus.operator.Labels;
import dev.stratus.operator.WorkloadSettings;
import dev.stratus.resource.AcceleratorPoolSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * Profiling in the cluster: a model with no profile for a pool's hardware class gets a Job that runs
 * {@code stratus profile} on one of that pool's nodes (its node selector, tolerations and resources) and stores the
 * result as the profile's ConfigMap, which the operator's profile store watches. One Job per model and hardware
 * class; a failed Job is reported on the model, and Kubernetes' own back-off limit bounds the retries.
 */
public final class ProfileJobs {
    private final KubernetesClient client;
    private final WorkloadSettings settings;

    public ProfileJobs(KubernetesClient client, WorkloadSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    public static String name(String model, String hardwareId) {
        return Labels.dnsName("stratus-profile-", model + "-" + hardwareId, 52);
    }

    /** Creates the Job unless one exists for this model and hardware class. */
    public void ensure(String model, String pool, AcceleratorPoolSpec poolSpec, ModelSource source,
            List<OwnerReference> owners) {
        String name = name(model, poolSpec.hardwareId());
        if (client.batch().v1().jobs().inNamespace(settings.namespace()).withName(name).get() == null) {
            client.batch().v1().jobs().inNamespace(settings.namespace())
                    .resource(job(model, pool, poolSpec, source, owners, settings)).create();
        }
    }

    /** Why the model's profiling Job failed, if it did. */
    public Optional<String> failure(String model, String hardwareId) {
        Job job = client.batch().v1().jobs().inNamespace(settings.namespace()).withName(name(model, hardwareId)).get();
        if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream().filter(c -> "Failed".equals(c.getType())
                && "True".equals(c.getStatus())).findFirst().map(c -> "profiling Job " + name(model, hardwareId)
                + " failed: " + c.getReason() + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
    }

    /** The Job (a pure function of its inputs). */
    public static Job job(String model, String pool, AcceleratorPoolSpec poolSpec, ModelSource source,
            List<OwnerReference> owners, WorkloadSettings s) {
        WorkerPods.GroupShape shape = new WorkerPods.GroupShape(
                new dev.stratus.core.model.fleet.WorkerGroupSpec(model + "@" + pool, List.of(model),
                        java.util.Map.of(model, 1), java.util.Map.of(model, 1.0), 0),
                pool, poolSpec, java.util.Map.of(model, source), s);
        PodSpec base = WorkerPods.podSpec(shape);
        Container profiler = new ContainerBuilder().withName("profile").withImage(s.image())
                .withImagePullPolicy(s.imagePullPolicy())
                .withArgs("profile", model, "--hardware-id", poolSpec.hardwareId(), "--configmap-namespace",
                        s.namespace())
                .withEnv(base.getContainers().get(0).getEnv())
                .withVolumeMounts(base.getContainers().get(0).getVolumeMounts())
                .withResources(base.getContainers().get(0).getResources())
                .withSecurityContext(base.getContainers().get(0).getSecurityContext()).build();
        base.setContainers(List.of(profiler));
        base.setRestartPolicy("Never");
        base.setServiceAccountName(s.profilerServiceAccount());
        base.setAutomountServiceAccountToken(true);
        base.setTerminationGracePeriodSeconds(30L);
        return new JobBuilder().withNewMetadata().withName(name(model, poolSpec.hardwareId()))
                .withNamespace(s.namespace()).addToLabels(Labels.MANAGED_BY, Labels.MANAGER)
                .addToLabels(Labels.COMPONENT, "profiler").addToLabels(Labels.MODEL, Labels.dnsName("", model, 63))
                .addToLabels(Labels.HARDWARE, Labels.dnsName("", poolSpec.hardwareId(), 63))
                .withOwnerReferences(owners).endMetadata()
                .withNewSpec().withBackoffLimit(2).withTtlSecondsAfterFinished(86400)
                .withNewTemplate().withNewMetadata().addToLabels(Labels.MANAGED_BY, Labels.MANAGER)
                .addToLabels(Labels.COMPONENT, "profiler").endMetadata().withSpec(base).endTemplate().endSpec().build();
    }
}
