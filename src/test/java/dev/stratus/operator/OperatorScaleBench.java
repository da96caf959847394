package dev.stratus.operator;

import dev.stratus.catalog.ModelCatalog;
import dev.stratus.control.ControlService;
import dev.stratus.core.autoscaling.WarmPoolPolicy;
import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.planning.MapProfileStore;
import dev.stratus.core.port.FleetObserver;
import dev.stratus.operator.crd.InferenceModel;
import dev.stratus.profiles.FileProfileStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator at scale against the mock API server: N InferenceModels over P AcceleratorPools (default 200 over
 * 10), applied at once. Reports the time until every model is {@code Planned=True}, the API writes meanwhile, the
 * time until every model is {@code Ready=True} once the "kubelet" made the pods ready, and the writes per minute
 * once steady (aim: zero). The models are copies of the vad sample (catalog entry and measured profile renamed), each
 * receiving its expected rate, so the plan stays where it started. Run: {@code ./stratus bench operator}.
 */
public final class OperatorScaleBench {
    private OperatorScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        int models = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int pools = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long steadySeconds = args.length > 2 ? Long.parseLong(args[2]) : 60;
        Path catalogFile = Files.createTempFile("stratus-bench-catalog-", ".yaml");
        try (MockCluster cluster = new MockCluster()) {
            ModelCatalog catalog = catalog(models, catalogFile);
            Profile vad = FileProfileStore.read(Path.of("profiles/vad/cpu-amd-epyc-2c.yaml"));
            MapProfileStore profiles = new MapProfileStore();
            for (int i = 0; i < models; i++) {
                profiles.save(new Profile(name(i), vad.provenance(), vad.batches(), vad.fit(), vad.coldStart(),
                        vad.coldStartCached()));
            }
            cluster.startOperator(profiles, new ExpectedRates(50), catalog, new ControlService.Settings(2000,
                    "stratus", false, ControlService.Settings.DEFAULT.rule(), WarmPoolPolicy.DEFAULT));
            cluster.drainRequests();
            StringBuilder yaml = new StringBuilder();
            for (int p = 0; p < pools; p++) {
                yaml.append("""
                        apiVersion: stratus.dev/v1alpha1
                        kind: AcceleratorPool
                        metadata: {name: pool-%d}
                        spec: {tier: cloud, site: zone-%d, accelerator: cpu, hardwareId: cpu-amd-epyc-2c, \
                        costPerHour: %.2f, maxReplicas: %d, memoryMb: 4096}
                        ---
                        """.formatted(p, p, 0.10 + 0.01 * p, 4 * models / pools + 4));
            }
            for (int i = 0; i < models; i++) {
                yaml.append("""
                        apiVersion: stratus.dev/v1alpha1
                        kind: InferenceModel
                        metadata: {name: %s}
                        spec: {slo: {latencyMs: 50}, expectedRatePerSecond: 50, allowedPools: [pool-%d], \
                        memoryMb: 300, scaling: {minReplicas: 1, maxReplicas: 3, warmPool: 1}}
                        ---
                        """.formatted(name(i), i % pools));
            }
            long t0 = System.nanoTime();
            cluster.apply(yaml.toString());
            MockCluster.await("every model Planned=True", java.time.Duration.ofMinutes(10),
                    () -> count(cluster, "Planned") == models);
            double plannedSeconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Integer> planning = cluster.drainRequests();
            long t1 = System.nanoTime();
            MockCluster.await("pods created", java.time.Duration.ofMinutes(5),
                    () -> cluster.workerPods().size() >= 2 * models);
            cluster.markAllReady();
            MockCluster.await("every model Ready=True", java.time.Duration.ofMinutes(10),
                    () -> count(cluster, "Ready") == models);
            double readySeconds = (System.nanoTime() - t1) / 1e9;
            Map<String, Integer> toReady = cluster.drainRequests();
            Thread.sleep(30_000); // settle: last status writes, the first observed-traffic refresh
            cluster.drainRequests();
            Thread.sleep(steadySeconds * 1000);
            Map<String, Integer> steady = cluster.drainRequests();
            System.out.printf("operator scale benchmark: %d InferenceModels over %d AcceleratorPools, mock API server%n",
                    models, pools);
            System.out.printf("  applied -> every Planned=True:   %.1f s, %d API writes (%s)%n", plannedSeconds,
                    MockCluster.writes(planning), summary(planning));
            System.out.printf("  pods ready -> every Ready=True:  %.1f s, %d API writes (%s)%n", readySeconds,
                    MockCluster.writes(toReady), summary(toReady));
            System.out.printf("  steady, %d s:                    %d API writes (%.1f per minute) (%s)%n",
                    steadySeconds, MockCluster.writes(steady), MockCluster.writes(steady) * 60.0 / steadySeconds,
                    summary(steady));
        } finally {
            Files.deleteIfExists(catalogFile);
        }
        System.exit(0);
    }

    static String name(int i) {
        return String.format("vad-%03d", i);
    }

    static long count(MockCluster cluster, String condition) {
        return cluster.client.resources(InferenceModel.class).inNamespace(MockCluster.NAMESPACE).list().getItems()
                .stream().filter(m -> m.getStatus() != null && m.getStatus().conditions().stream()
                        .anyMatch(c -> c.type().equals(condition) && c.isTrue())).count();
    }

    /** Writes grouped by method and kind of object, e.g. PATCH inferencemodels/status: 200. */
    static String summary(Map<String, Integer> requests) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        requests.forEach((k, v) -> {
            if (!k.equals("GET")) {
                String[] parts = k.split(" ");
                String path = parts[1].replaceAll("\\?.*", "");
                String[] seg = path.split("/");
                String kind = path.endsWith("/status") ? seg[seg.length - 3] + "/status"
                        : seg.length >= 2 && seg[seg.length - 2].matches("[a-z]+s") ? seg[seg.length - 2]
                        : seg[seg.length - 1];
                out.merge(parts[0] + " " + kind, v, Integer::sum);
            }
        });
        return out.toString();
    }

    /** A catalog of n copies of the vad entry, named vad-000..., written to {@code file}. */
    static ModelCatalog catalog(int n, Path file) throws IOException {
        String text;
        try (InputStream in = ModelCatalog.class.getResourceAsStream(ModelCatalog.BUNDLED)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int start = text.indexOf("  - name: vad\n");
        int end = text.indexOf("\n  - name:", start + 1);
        String entry = text.substring(start, end < 0 ? text.length() : end).stripTrailing() + "\n";
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(entry.replace("  - name: vad\n", "  - name: " + name(i) + "\n"));
        }
        Files.writeString(file, "models:\n" + String.join("", entries));
        return ModelCatalog.load(java.util.Optional.of(file));
    }

    /** Every model receives its expected rate: the gateways' part at steady load. */
    static final class ExpectedRates implements FleetObserver {
        private final double rate;
        private final Map<String, Long> last = new ConcurrentHashMap<>();

        ExpectedRates(double rate) {
            this.rate = rate;
        }

        @Override
        public TrafficSample sample(String model) {
            long now = System.currentTimeMillis();
            Long before = last.put(model, now);
            long n = Math.round(rate * (before == null ? 2.0 : (now - before) / 1000.0));
            return new TrafficSample(model, n, 0, n, n, 3.0, 8.0, 0);
        }
    }
}
