package dev.stratus.operator;

import dev.stratus.control.ControlService;
import dev.stratus.core.autoscaling.ForecastSettings;
import dev.stratus.core.autoscaling.ReplanRule;
import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.port.Clock;
import dev.stratus.core.port.FleetObserver;
import dev.stratus.operator.reconcile.OperatorFactory;
import dev.stratus.operator.reconcile.StratusOperator;
import dev.stratus.profiles.FileProfileStore;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The fabric8 mock API server in CRUD mode with the committed CRDs registered, the operator running against it
 * (server-side apply off: the mock has none), and the kubelet's part played by the test: pods are made ready or
 * failed by writing their status, as a kubelet would.
 */
final class MockCluster implements AutoCloseable {
    static final String NAMESPACE = "stratus-test";
    /**
     * Fast loop: a 200 ms period, half-lives of 1 s and 0.3 s, scale-down after 1 s with a 2 s stabilisation
     * window, so that a load step and its fall are acted on within a test.
     */
    static final ControlService.Settings LOOP = new ControlService.Settings(200, "stratus", false,
            new ReplanRule(0.10, 0.30, 0, 1000), ControlService.LOCAL_WARM_POOL,
            new ForecastSettings(1, 0.3, 1.5, 3, 1.1, 2000));

    final KubernetesMockServer server;
    final KubernetesClient client;
    final ScriptedTraffic traffic = new ScriptedTraffic();
    private final AtomicInteger ip = new AtomicInteger(10);
    StratusOperator runtime;
    Operator operator;

    MockCluster() throws IOException {
        // The mock server logs every request at INFO; the tests count requests themselves.
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils")
                .setLevel(java.util.logging.Level.SEVERE);
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
                new io.fabric8.mockwebserver.MockWebServer(), new java.util.HashMap<>(),
                new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build()).create();
        try (Stream<Path> crds = Files.list(Path.of("operators/crds"))) {
            for (Path crd : crds.sorted().toList()) {
                try (InputStream in = Files.newInputStream(crd)) {
                    client.apiextensions().v1().customResourceDefinitions().load(in).create();
                }
            }
        }
    }

    /** Starts the operator as the operator role does, without leader election. */
    MockCluster startOperator() {
        return startOperator(new FileProfileStore(Path.of("profiles")), traffic,
                dev.stratus.catalog.ModelCatalog.bundled(), LOOP);
    }

    MockCluster startOperator(dev.stratus.core.port.ProfileStore profiles, FleetObserver observer,
            dev.stratus.catalog.ModelCatalog catalog, ControlService.Settings loop) {
        return startOperator(profiles, observer, catalog, loop, RulePublishing.OFF);
    }

    /** Starts the operator as the operator role does with {@code --prometheus-rule}. */
    MockCluster startOperator(RulePublishing rules) {
        return startOperator(new FileProfileStore(Path.of("profiles")), traffic,
                dev.stratus.catalog.ModelCatalog.bundled(), LOOP, rules);
    }

    MockCluster startOperator(dev.stratus.core.port.ProfileStore profiles, FleetObserver observer,
            dev.stratus.catalog.ModelCatalog catalog, ControlService.Settings loop, RulePublishing rules) {
        runtime = new StratusOperator(client, WorkloadSettings.defaults(NAMESPACE), profiles, observer,
                Clock.SYSTEM, loop, catalog, rules);
        operator = OperatorFactory.create(client, runtime, NAMESPACE, false, Optional.empty());
        OperatorFactory.start(operator, runtime, false);
        return this;
    }

    void stopOperator() {
        if (operator != null) {
            operator.stop();
            runtime.close();
            operator = null;
        }
    }

    /** Applies every document of a YAML file (samples, or test fixtures). */
    List<HasMetadata> apply(String yaml) {
        return client.load(new java.io.ByteArrayInputStream(yaml.getBytes())).inNamespace(NAMESPACE)
                .resources().map(r -> (HasMetadata) r.create()).toList();
    }

    List<Pod> workerPods() {
        return client.pods().inNamespace(NAMESPACE).withLabel(Labels.COMPONENT, "worker").list().getItems();
    }

    List<Pod> pods(String role) {
        return workerPods().stream().filter(p -> role.equals(p.getMetadata().getLabels().get(Labels.ROLE))).toList();
    }

    /** The kubelet's part: the pod runs, its readiness probe passes (the worker warmed every batch size). */
    void markReady(Pod p) {
        String now = Instant.now().toString();
        client.pods().inNamespace(NAMESPACE).withName(p.getMetadata().getName()).edit(x -> {
            x.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("10.1.0." + ip.incrementAndGet())
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
                            .withLastTransitionTime(now).build()).build());
            return x;
        });
    }

    void markAllReady() {
        workerPods().stream().filter(p -> p.getStatus() == null || p.getStatus().getPodIP() == null)
                .forEach(this::markReady);
    }

    /** The kubelet's part: the model fetch init container keeps failing (a sha256 mismatch, say). */
    void markFetchFailing(Pod p, String message) {
        client.pods().inNamespace(NAMESPACE).withName(p.getMetadata().getName()).edit(x -> {
            x.setStatus(new PodStatusBuilder().withPhase("Pending").withInitContainerStatuses(
                    new ContainerStatusBuilder().withName(x.getSpec().getInitContainers().get(0).getName())
                            .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                            .withNewLastState().withNewTerminated().withExitCode(1).withMessage(message)
                            .endTerminated().endLastState().build()).build());
            return x;
        });
    }

    /** Waits until the condition holds (or fails naming what was awaited). */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not there yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }

    /** Requests the API server received since the last call: GETs counted together, writes by method and path. */
    Map<String, Integer> drainRequests() {
        Map<String, Integer> byMethod = new ConcurrentHashMap<>();
        while (true) {
            RecordedRequest r;
            try {
                r = server.takeRequest(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (r == null) {
                break;
            }
            byMethod.merge(r.getMethod().equals("GET") ? "GET" : r.getMethod() + " " + r.getPath(), 1, Integer::sum);
        }
        return byMethod;
    }

    static int writes(Map<String, Integer> byMethod) {
        return byMethod.entrySet().stream().filter(e -> !e.getKey().equals("GET")).mapToInt(Map.Entry::getValue)
                .sum();
    }

    @Override
    public void close() {
        stopOperator();
        client.close();
        server.destroy();
    }

    /** A mock cluster for each test, closed after it (also when the test fails). */
    static final class PerTest implements org.junit.jupiter.api.extension.BeforeEachCallback,
            org.junit.jupiter.api.extension.AfterEachCallback {
        private MockCluster cluster;

        @Override
        public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) throws IOException {
            cluster = new MockCluster();
        }

        @Override
        public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) {
            cluster.close();
        }

        MockCluster cluster() {
            return cluster;
        }
    }

    /** The gateways' part, driven by the test: each model's traffic per loop tick. */
    static final class ScriptedTraffic implements FleetObserver {
        private final Map<String, Double> ratePerSecond = new ConcurrentHashMap<>();
        private final Map<String, Long> last = new ConcurrentHashMap<>();

        void rate(String model, double perSecond) {
            ratePerSecond.put(model, perSecond);
        }

        @Override
        public TrafficSample sample(String model) {
            long now = System.currentTimeMillis();
            Long before = last.put(model, now);
            double seconds = before == null ? 0.2 : (now - before) / 1000.0;
            long n = Math.round(ratePerSecond.getOrDefault(model, 0.0) * seconds);
            return n == 0 ? TrafficSample.empty(model)
                    : new TrafficSample(model, n, 0, n, n, 5.0, 12.0, 0);
        }
    }
}
