package dev.stratus.operator.adapter;

import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import dev.stratus.operator.Labels;
import dev.stratus.operator.WorkloadSettings;
import dev.stratus.resource.AcceleratorPoolSpec;
import dev.stratus.resource.ReplicaResources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the objects of one worker group (pure functions of the group, its pool and the settings): the pods,
 * each with one init container per model that fetches the model file and refuses a sha256 mismatch, into a volume
 * the worker loads from and keeps ONNX Runtime's optimised models in; the worker container with the pool's
 * resources, node selector and tolerations, readiness on {@code /v2/health/ready} (up only once every model is
 * warm at every batch size), and a grace period that lets it drain; and the group's Service.
 */
public final class WorkerPods {
    private WorkerPods() {
    }

    /** One worker group's shape: everything a pod is built from, hashed to tell a stale pod from a current one. */
    public record GroupShape(WorkerGroupSpec spec, String pool, AcceleratorPoolSpec poolSpec,
            Map<String, ModelSource> sources, WorkloadSettings settings) {

        public String label() {
            return Labels.dnsName("", spec.groupId(), 40);
        }

        public String specHash() {
            // Whole checksums: a source's toString abbreviates its sha256.
            List<String> origins = sources.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().uri() + "#"
                    + e.getValue().sha256()).toList();
            // An edge site's pods carry its label: pods made before they did are replaced, not adopted unlabelled.
            return Labels.hash(spec + "|" + pool + "|" + poolSpec + "|" + origins + "|" + settings.image() + "|"
                    + settings.imagePullPolicy() + site().map(s -> "|site-label").orElse("")).substring(0, 12);
        }

        /** The pool's edge site (tier edge with a site), whose gateway routes to these pods; empty for the cloud's. */
        public java.util.Optional<String> site() {
            return SiteGatewayObjects.siteOf(poolSpec);
        }
    }

    public static Pod pod(GroupShape g, String name, String role, List<OwnerReference> owners) {
        Map<String, String> labels = labels(g);
        labels.put(Labels.ROLE, role);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Labels.GROUP_ID, g.spec().groupId());
        annotations.put(Labels.MODELS, String.join(",", g.spec().models()));
        g.site().ifPresent(site -> annotations.put(Labels.SITE, site));
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(g.settings().namespace())
                .withLabels(labels).withAnnotations(annotations).withOwnerReferences(owners).endMetadata()
                .withSpec(podSpec(g)).build();
    }

    static Map<String, String> labels(GroupShape g) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.NAME, "stratus-worker");
        labels.put(Labels.COMPONENT, "worker");
        labels.put(Labels.MANAGED_BY, Labels.MANAGER);
        labels.put(Labels.GROUP, g.label());
        labels.put(Labels.POOL, Labels.dnsName("", g.pool(), 63));
        labels.put(Labels.SPEC_HASH, g.specHash());
        g.site().ifPresent(site -> labels.put(Labels.SITE, Labels.labelValue(site)));
        return labels;
    }

    static PodSpec podSpec(GroupShape g) {
        WorkloadSettings s = g.settings();
        List<Container> init = new ArrayList<>();
        for (String model : g.spec().models()) {
            ModelSource src = g.sources().get(model);
            List<String> fetch = new ArrayList<>(List.of("models", "fetch", "--model", model, "--uri", src.uri()));
            if (src.sha256() != null) { // a file on a mounted volume may come without one
                fetch.addAll(List.of("--sha256", src.sha256()));
            }
            init.add(new ContainerBuilder().withName(Labels.dnsName("fetch-", model, 63)).withImage(s.image())
                    .withImagePullPolicy(s.imagePullPolicy())
                    .withArgs(fetch)
                    .addNewEnv().withName("STRATUS_MODELS_DIR").withValue(WorkloadSettings.MODELS_DIR).endEnv()
                    .addNewVolumeMount().withName("models").withMountPath(WorkloadSettings.MODELS_DIR).endVolumeMount()
                    .withTerminationMessagePolicy("FallbackToLogsOnError")
                    .withSecurityContext(WorkloadObjects.restricted()).build());
        }
        List<String> args = new ArrayList<>(List.of("worker", "--models", String.join(",", g.spec().models()),
                "--threads", Integer.toString(g.spec().threads()), "--port",
                Integer.toString(WorkloadSettings.WORKER_PORT)));
        for (String m : g.spec().models()) {
            args.addAll(List.of("--max-batch", m + "=" + g.spec().maxBatch().get(m),
                    "--max-queue-delay-ms", m + "=" + g.spec().maxQueueDelayMs().get(m)));
        }
        Container worker = new ContainerBuilder().withName("worker").withImage(s.image())
                .withImagePullPolicy(s.imagePullPolicy()).withArgs(args)
                .addNewEnv().withName("STRATUS_MODELS_DIR").withValue(WorkloadSettings.MODELS_DIR).endEnv()
                .addNewPort().withName("http").withContainerPort(WorkloadSettings.WORKER_PORT).endPort()
                .addNewVolumeMount().withName("models").withMountPath(WorkloadSettings.MODELS_DIR).endVolumeMount()
                .withResources(resources(g.poolSpec()))
                .withNewReadinessProbe().withNewHttpGet().withPath("/v2/health/ready").withNewPort("http").endHttpGet()
                .withPeriodSeconds(2).withFailureThreshold(1).endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withPath("/v2/health/live").withNewPort("http").endHttpGet()
                .withPeriodSeconds(10).withFailureThreshold(3).endLivenessProbe()
                // Gateways stop routing when the pod is marked draining or terminating; the pause lets every
                // gateway see that before SIGTERM starts the worker's drain.
                .withNewLifecycle().withNewPreStop().withNewSleep(5L).endPreStop().endLifecycle()
                .withSecurityContext(WorkloadObjects.restricted()).build();
        PodSpecBuilder spec = new PodSpecBuilder().withServiceAccountName(s.workerServiceAccount())
                .withAutomountServiceAccountToken(false)
                .withInitContainers(init).withContainers(worker)
                .withTerminationGracePeriodSeconds((long) s.drainSeconds() + 10)
                .withRestartPolicy("Always")
                .withSecurityContext(WorkloadObjects.podSecurity())
                .addNewVolume().withName("models").withNewEmptyDir().endEmptyDir().endVolume();
        AcceleratorPoolSpec p = g.poolSpec();
        if (p.nodeSelector() != null) {
            spec.withNodeSelector(p.nodeSelector());
        }
        spec.withTolerations(tolerations(p));
        return spec.build();
    }

    /** The pool's tolerations as Kubernetes' (empty when it has none). */
    static List<Toleration> tolerations(AcceleratorPoolSpec p) {
        return p.tolerations() == null ? List.of() : p.tolerations().stream().map(t -> new TolerationBuilder()
                .withKey(t.key()).withOperator(t.operator() == null ? null : t.operator().name()).withValue(t.value())
                .withEffect(t.effect() == null ? null : t.effect().name())
                .withTolerationSeconds(t.tolerationSeconds()).build()).toList();
    }

    /** Requests equal limits (a predictable latency, as profiled); the accelerator is a limit, as Kubernetes wants. */
    static ResourceRequirements resources(AcceleratorPoolSpec pool) {
        ReplicaResources r = pool.resources();
        String cpu = r == null || r.cpu() == null ? "1" : r.cpu();
        String memory = r == null || r.memory() == null ? Math.round(pool.memoryMb()) + "Mi" : r.memory();
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        amounts.put("cpu", new Quantity(cpu));
        amounts.put("memory", new Quantity(memory));
        Map<String, Quantity> limits = new LinkedHashMap<>(amounts);
        if (r != null && r.acceleratorResource() != null) {
            limits.put(r.acceleratorResource(), new Quantity(Integer.toString(
                    r.acceleratorsPerReplica() == null ? 1 : r.acceleratorsPerReplica())));
        }
        return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(limits).build();
    }

    /** The group's Service: its serving pods on the worker port (for DNS, debugging and EndpointSlices). */
    public static Service service(GroupShape g, List<OwnerReference> owners) {
        return new ServiceBuilder().withNewMetadata().withName(serviceName(g)).withNamespace(g.settings().namespace())
                .withLabels(labels(g)).addToAnnotations(Labels.GROUP_ID, g.spec().groupId())
                .withOwnerReferences(owners).endMetadata()
                .withNewSpec().withClusterIP("None")
                .addToSelector(Labels.GROUP, g.label()).addToSelector(Labels.ROLE, Labels.SERVING)
                .addNewPort().withName("http").withPort(WorkloadSettings.WORKER_PORT).withNewTargetPort("http")
                .endPort().endSpec().build();
    }

    public static String serviceName(GroupShape g) {
        return "stratus-w-" + g.label();
    }
}
