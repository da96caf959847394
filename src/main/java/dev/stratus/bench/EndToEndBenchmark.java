package dev.stratus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.backend.local.AppCommand;
import dev.stratus.backend.local.ServiceProcess;
import dev.stratus.security.LocalAdminToken;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.ModelFetcher;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.profiling.LatencyCurve;
import dev.stratus.core.simulation.HopOverhead;
import dev.stratus.core.simulation.ModelResult;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingPolicy;
import dev.stratus.core.simulation.ServiceTime;
import dev.stratus.core.simulation.SimConfig;
import dev.stratus.core.simulation.SimDispatch;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.SimPool;
import dev.stratus.core.simulation.SimResult;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.Simulator;
import dev.stratus.core.simulation.arrival.PiecewiseArrivals;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.host.HardwareIdentity;
import dev.stratus.profiles.FileProfileStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * The whole local system under a load step (issue 5): the control service ({@code stratus serve}) with its
 * gateway, worker fleet and autoscaler, driven by the load generator, three times over the same scenario: the
 * autoscaler with a warm pool, the autoscaler without one (every scale-up a cold start), and a static fleet sized
 * by the planner for the scenario's mean rate. Then: decision-to-serving time of scale-ups (warm vs cold), the
 * gateway's added latency against calling a worker directly (same run), and the simulator's prediction of the
 * static run against what it measured.
 */
public final class EndToEndBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "ocr-cls";
    static final double SLO_MS = 100;
    static final double LOW_RATE = 40;
    static final double HIGH_RATE = 150;
    /** The planner's view of this machine: four times the profile's batch time (see {@link #POOL}). */
    static final double LATENCY_SCALE = 4;
    static final double MAX_QUEUE_DELAY_MS = 5; // what the control service gives a 100 ms SLO (SLO / 20)

    /**
     * One pool, this machine. latencyScale 4: at the profile's 1.8 ms per request the planner would carry
     * ~500 req/s on one replica, more than two shared cores give the load generator, gateway and workers
     * together; scaled, 40 req/s plans one replica and 150 req/s two, so the step needs a scale-up.
     */
    static final String POOL = """
            apiVersion: stratus.dev/v1alpha1
            kind: AcceleratorPool
            metadata: {name: local-cpu}
            spec: {tier: edge, hardwareId: auto, latencyScale: %s, costPerHour: 0.1, maxReplicas: 6, networkRttMs: 0.5,
                   memoryMb: 4096}
            """.formatted(LATENCY_SCALE);

    /** Batch 1 only, so that more load needs more replicas rather than larger batches. */
    static final String MODEL_RESOURCE = """
            apiVersion: stratus.dev/v1alpha1
            kind: InferenceModel
            metadata: {name: ocr-cls}
            spec:
              slo: {latencyMs: %s, percentile: 99, targetAttainment: 0.99}
              expectedRatePerSecond: %s
              maxBatch: 1
              memoryMb: 300
              scaling: {minReplicas: %d, maxReplicas: %d, warmPool: %d}
            """;

    public record Options(Path loadgenJar, Path profiles, int durationSeconds, int overheadRequests, Path workDir) {
    }

    /** One serve run under the scenario. */
    public record Run(String name, String setup, long sent, long ok, long shed, long deadline, long errors,
            double attainment, double goodputPerSecond, double p50Ms, double p99Ms, int maxServing, int scaleUps,
            int promotions, int coldStarts, List<ScaleUpTiming.Timing> timings) {
    }

    /** The simulator's prediction of one run, with the relative error against the measurement. */
    public record Prediction(String comparedWith, int replicas, String hardwareId, double simP99Ms,
            double simAttainment, double realP99Ms, double realAttainment, double uncalibratedP99Ms,
            Calibration calibration) {
        public double p99Error() {
            return relativeError(simP99Ms, realP99Ms);
        }

        /** |simulated − measured| attainment in percentage points. */
        public double attainmentPoints() {
            return 100 * Math.abs(simAttainment - realAttainment);
        }

        public double attainmentError() {
            return relativeError(simAttainment, realAttainment);
        }
    }

    public record Result(String machine, String date, int durationSeconds, Map<String, Integer> plannedReplicas,
            List<Run> runs, double warmMs, double coldMs, int warmSamples, int coldSamples, long overheadRequests,
            double gatewayP50Ms, double gatewayP99Ms, double directP50Ms, double directP99Ms, Prediction prediction) {

        public Run run(String name) {
            return runs.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
        }

        public double coldOverWarm() {
            return coldMs / warmMs;
        }

        public double addedP50Ms() {
            return gatewayP50Ms - directP50Ms;
        }

        public double addedP99Ms() {
            return gatewayP99Ms - directP99Ms;
        }

        public Map<String, Boolean> aims() {
            Map<String, Boolean> aims = new LinkedHashMap<>();
            aims.put("attainment >= 99% with the warm pool", run("warm-pool").attainment() >= 0.99);
            aims.put("warm promotion >= 10x faster than a cold start", coldOverWarm() >= 10);
            aims.put("gateway p99 overhead <= 2 ms", addedP99Ms() <= 2);
            aims.put("simulator p99 within 20% of the real run", prediction.p99Error() <= 0.20);
            aims.put("simulator attainment within 0.5 percentage points", prediction.attainmentPoints() <= 0.5);
            return aims;
        }

        public String toTable() {
            StringBuilder s = new StringBuilder();
            s.append(String.format("End-to-end benchmark: %s, %s, %s at %.0f -> %.0f -> %.0f req/s over %d s, SLO %.0f ms%n",
                    machine, date, MODEL, LOW_RATE, HIGH_RATE, LOW_RATE, durationSeconds, SLO_MS));
            s.append(String.format("  planner (what-if): %s replicas%n", plannedReplicas));
            s.append(String.format("  %-12s %-38s %7s %7s %5s %5s %5s %9s %9s %8s %8s %4s %4s %4s%n", "run", "setup",
                    "sent", "ok", "shed", "ddl", "err", "attain", "goodput/s", "p50 ms", "p99 ms", "max", "up", "cold"));
            for (Run r : runs) {
                s.append(String.format("  %-12s %-38s %7d %7d %5d %5d %5d %8.2f%% %9.1f %8.1f %8.1f %4d %4d %4d%n",
                        r.name(), r.setup(), r.sent(), r.ok(), r.shed(), r.deadline(), r.errors(),
                        100 * r.attainment(), r.goodputPerSecond(), r.p50Ms(), r.p99Ms(), r.maxServing(),
                        r.scaleUps(), r.coldStarts()));
            }
            s.append(String.format("  scale-up decision -> serving: warm (promotion) %.1f ms median of %d, cold start "
                    + "%.0f ms median of %d, cold/warm %.0fx%n", warmMs, warmSamples, coldMs, coldSamples,
                    coldOverWarm()));
            s.append(String.format("  gateway vs worker direct, %d sequential requests each: gateway p50 %.3f p99 %.3f ms,"
                    + " direct p50 %.3f p99 %.3f ms, added p50 %.3f p99 %.3f ms%n", overheadRequests, gatewayP50Ms,
                    gatewayP99Ms, directP50Ms, directP99Ms, addedP50Ms(), addedP99Ms()));
            Calibration c = prediction.calibration();
            s.append(String.format("  simulator calibration: batch time %.2f ms (the worker's mean during the run; profile "
                    + "%s: %.2f ms), hop overhead p50 %.2f p99 %.2f ms (gateway at rest minus %.2f ms execution)%n",
                    c.runExecutionMs(), prediction.hardwareId(), c.profileExecutionMs(), c.overheadP50Ms(),
                    c.overheadP99Ms(), c.restExecutionMs()));
            s.append(String.format("  simulator vs %s run (%d replica(s)): p99 %.1f vs %.1f ms (error %.0f%%; uncalibrated "
                    + "%.1f ms), attainment %.2f%% vs %.2f%% (%.2f points)%n", prediction.comparedWith(),
                    prediction.replicas(), prediction.simP99Ms(), prediction.realP99Ms(), 100 * prediction.p99Error(),
                    prediction.uncalibratedP99Ms(), 100 * prediction.simAttainment(), 100 * prediction.realAttainment(),
                    prediction.attainmentPoints()));
            s.append("  aims:");
            aims().forEach((k, v) -> s.append(String.format("%n    [%s] %s", v ? "met" : "MISSED", k)));
            return s.toString();
        }

        public String toJson() {
            ObjectNode n = JSON.createObjectNode();
            n.put("machine", machine).put("date", date).put("model", MODEL).put("duration_s", durationSeconds)
                    .put("low_rate", LOW_RATE).put("high_rate", HIGH_RATE).put("slo_ms", SLO_MS);
            ObjectNode planned = n.putObject("planned_replicas");
            plannedReplicas.forEach(planned::put);
            ArrayNode rs = n.putArray("runs");
            for (Run r : runs) {
                ObjectNode o = rs.addObject().put("name", r.name()).put("setup", r.setup()).put("sent", r.sent())
                        .put("ok", r.ok()).put("shed", r.shed()).put("deadline", r.deadline()).put("errors", r.errors())
                        .put("attainment", r.attainment()).put("goodput_per_s", r.goodputPerSecond())
                        .put("p50_ms", r.p50Ms()).put("p99_ms", r.p99Ms()).put("max_serving", r.maxServing())
                        .put("scale_ups", r.scaleUps()).put("promotions", r.promotions())
                        .put("cold_starts", r.coldStarts());
                ArrayNode ts = o.putArray("scale_up_timings");
                r.timings().forEach(t -> ts.addObject().put("path", t.path().name())
                        .put("ms_to_serving", t.millisToServing()));
            }
            n.putObject("scale_up").put("warm_median_ms", warmMs).put("warm_samples", warmSamples)
                    .put("cold_median_ms", coldMs).put("cold_samples", coldSamples).put("cold_over_warm", coldOverWarm());
            n.putObject("gateway_overhead").put("requests", overheadRequests).put("gateway_p50_ms", gatewayP50Ms)
                    .put("gateway_p99_ms", gatewayP99Ms).put("direct_p50_ms", directP50Ms)
                    .put("direct_p99_ms", directP99Ms).put("added_p50_ms", addedP50Ms()).put("added_p99_ms", addedP99Ms());
            n.putObject("simulator").put("compared_with", prediction.comparedWith())
                    .put("replicas", prediction.replicas()).put("hardware_id", prediction.hardwareId())
                    .put("sim_p99_ms", prediction.simP99Ms()).put("real_p99_ms", prediction.realP99Ms())
                    .put("p99_relative_error", prediction.p99Error()).put("sim_attainment", prediction.simAttainment())
                    .put("real_attainment", prediction.realAttainment())
                    .put("attainment_relative_error", prediction.attainmentError())
                    .put("attainment_points", prediction.attainmentPoints())
                    .put("uncalibrated_sim_p99_ms", prediction.uncalibratedP99Ms())
                    .put("run_execution_ms", prediction.calibration().runExecutionMs())
                    .put("rest_execution_ms", prediction.calibration().restExecutionMs())
                    .put("profile_execution_ms", prediction.calibration().profileExecutionMs())
                    .put("overhead_p50_ms", prediction.calibration().overheadP50Ms())
                    .put("overhead_p99_ms", prediction.calibration().overheadP99Ms());
            ObjectNode aims = n.putObject("aims_met");
            aims().forEach(aims::put);
            return n.toPrettyString();
        }
    }

    /**
     * What the static run measured for the simulator: the worker's mean execution time per request during the run
     * (its compute histogram, all contention included) and at rest (during the gateway-vs-direct rounds), the
     * profile's, and the per-request hop overhead (gateway + worker HTTP): the quantiles of the sequential latency
     * through the gateway minus the execution time at rest.
     */
    public record Calibration(double runExecutionMs, double restExecutionMs, double profileExecutionMs,
            double[] overheadQuantilesMs) {
        public double overheadP50Ms() {
            return quantile(0.50);
        }

        public double overheadP99Ms() {
            return quantile(0.99);
        }

        private double quantile(double q) {
            int n = overheadQuantilesMs.length;
            return n == 0 ? 0 : overheadQuantilesMs[Math.min(n - 1, (int) Math.floor(q * n))];
        }
    }

    /** What one serve run left behind for the later phases. */
    private record Measured(Run run, List<ScaleUpTiming.Timing> timings) {
    }

    private final Options options;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The token the control services started here accept (the user's local token file). */
    private LocalAdminToken admin;

    public EndToEndBenchmark(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    static double relativeError(double predicted, double measured) {
        return Math.abs(predicted - measured) / measured;
    }

    /** The step's phases in seconds: low for the first third, high for the second, low again. */
    static List<PiecewiseArrivals.Segment> segments(int durationSeconds) {
        double third = durationSeconds / 3.0;
        return List.of(new PiecewiseArrivals.Segment(0, LOW_RATE), new PiecewiseArrivals.Segment(third, HIGH_RATE),
                new PiecewiseArrivals.Segment(2 * third, LOW_RATE));
    }

    static double meanRate(int durationSeconds) {
        return (2 * LOW_RATE + HIGH_RATE) / 3;
    }

    static String scenario(int durationSeconds) {
        StringBuilder phases = new StringBuilder();
        for (PiecewiseArrivals.Segment s : segments(durationSeconds)) {
            phases.append(String.format("    - { atSeconds: %.1f, rate: %.0f }%n", s.startSeconds(), s.rate()));
        }
        return """
                name: e2e-step
                durationSeconds: %d
                seed: 42
                target: http://127.0.0.1:8080
                arrival:
                  process: step
                  phases:
                %s\
                models:
                  - name: ocr-cls
                    weight: 1
                    sloMs: %.0f
                    deadlineMs: 400
                    inputs:
                      - { name: x, datatype: FP32, shape: [1, 3, 48, 192] }
                """.formatted(durationSeconds, phases, SLO_MS);
    }

    public Result run() throws Exception {
        admin = LocalAdminToken.local();
        if (!Files.isRegularFile(options.loadgenJar())) {
            throw new IllegalStateException("load generator jar " + options.loadgenJar() + " missing; build it with "
                    + "./mvnw -f loadgen/pom.xml package (./stratus bench e2e does it for you)");
        }
        ModelCatalog catalog = ModelCatalog.bundled();
        new ModelFetcher(ModelCache.fromEnvironment(), Map.of(), progress).fetch(List.of(catalog.require(MODEL)));
        Path dir = options.workDir() != null ? Files.createDirectories(options.workDir())
                : Files.createTempDirectory("stratus-e2e-");
        Path scenario = dir.resolve("scenario.yaml");
        Files.writeString(scenario, scenario(options.durationSeconds()));
        progress.printf("e2e: work directory %s%n", dir);

        // The warm-pool run goes last, so that neither it nor its comparison gains from running on a warmer machine.
        Map<String, Integer> planned = new LinkedHashMap<>();
        progress.println("[1/5] no warm pool: autoscaler, min 1 max 4, warm pool 0 (scale-ups start cold)");
        Measured cold = serveRun(dir, "cold-start", "autoscaler, min 1, max 4, warm pool 0", 1, 4, 0, scenario,
                base -> {
                    planned.put(String.format("%.0f req/s", LOW_RATE), whatIf(base, LOW_RATE));
                    planned.put(String.format("%.1f req/s (mean)", meanRate(options.durationSeconds())),
                            whatIf(base, meanRate(options.durationSeconds())));
                    planned.put(String.format("%.0f req/s", HIGH_RATE), whatIf(base, HIGH_RATE));
                }, null);
        int staticReplicas = planned.get(String.format("%.1f req/s (mean)", meanRate(options.durationSeconds())));
        progress.printf("[2/5] static: %d replica(s), the plan for the mean rate; then [3/5] gateway vs direct%n",
                staticReplicas);
        double[] overhead = new double[4];
        double[][] hops = new double[3][];
        Measured fixed = serveRun(dir, "static", "static, " + staticReplicas + " replica(s) (plan for the mean)",
                staticReplicas, staticReplicas, 0, scenario, base -> { }, base -> gatewayOverhead(base, overhead, hops));
        progress.println("[4/5] warm pool: autoscaler, min 1 max 4, warm pool 1");
        Measured warm = serveRun(dir, "warm-pool", "autoscaler, min 1, max 4, warm pool 1", 1, 4, 1, scenario,
                base -> { }, null);

        List<ScaleUpTiming.Timing> warmTimings = warm.timings().stream()
                .filter(t -> t.path() == ScaleUpTiming.Path.WARM).toList();
        List<ScaleUpTiming.Timing> coldTimings = cold.timings().stream()
                .filter(t -> t.path() == ScaleUpTiming.Path.COLD).toList();

        progress.println("[5/5] simulator: the static run's deployment under the same step");
        Prediction prediction = simulate(fixed.run(), staticReplicas, hops);
        return new Result(DataplaneBenchmark.machine(), LocalDate.now().toString(), options.durationSeconds(), planned,
                List.of(warm.run(), cold.run(), fixed.run()), ScaleUpTiming.medianMillis(warmTimings,
                ScaleUpTiming.Path.WARM), ScaleUpTiming.medianMillis(coldTimings, ScaleUpTiming.Path.COLD),
                warmTimings.size(), coldTimings.size(), options.overheadRequests(), overhead[0], overhead[1],
                overhead[2], overhead[3], prediction);
    }

    interface Phase {
        void run(String base) throws Exception;
    }

    private Measured serveRun(Path dir, String name, String setup, int min, int max, int warmPool, Path scenario,
            Phase beforeLoad, Phase afterLoad) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve(name));
        Path config = Files.createDirectories(runDir.resolve("config"));
        Files.writeString(config.resolve("pool.yaml"), POOL);
        Files.writeString(config.resolve("ocr-cls.yaml"), MODEL_RESOURCE.formatted(SLO_MS,
                meanRate(options.durationSeconds()), min, max, warmPool));
        ServiceProcess serve = ServiceProcess.start(ServiceProcess.Options.of(config, runDir)
                .withProfiles(options.profiles()).withTokens(admin.file()));
        String base = serve.base();
        try {
            awaitReady(serve);
            if (!serve.awaitSettled(Duration.ofSeconds(60))) {
                progress.println("  (the fleet had not settled after 60 s; starting anyway)");
            }
            beforeLoad.run(base);
            Map<String, ScaleUpTiming.ReplicaSeen> seen = new ConcurrentHashMap<>();
            AtomicInteger maxServing = new AtomicInteger();
            AtomicBoolean loading = new AtomicBoolean(true);
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (loading.get()) {
                    sampleFleet(base, seen, maxServing);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long loadStart = System.currentTimeMillis();
            Process load = startLoad(base, scenario, runDir);
            if (!load.waitFor(options.durationSeconds() + 120L, TimeUnit.SECONDS)) {
                load.destroyForcibly();
                throw new IllegalStateException("load generator did not finish; see " + runDir.resolve("loadgen.log"));
            }
            loading.set(false);
            sampler.join();
            if (load.exitValue() != 0) {
                throw new IllegalStateException("load generator exited with " + load.exitValue() + "; see "
                        + runDir.resolve("loadgen.log"));
            }
            JsonNode events = JSON.readTree(get(base + "/admin/v1/events?limit=5000"));
            Files.writeString(runDir.resolve("events.json"), events.toPrettyString());
            if (afterLoad != null) {
                afterLoad.run(base);
            }
            List<ScaleUpTiming.Event> list = new ArrayList<>();
            for (JsonNode e : events) {
                if (e.path("atMillis").asLong() < loadStart) {
                    continue; // the initial plan and warm pool, not the scenario's doing
                }
                list.add(new ScaleUpTiming.Event(e.path("atMillis").asLong(), e.path("model").asText(),
                        e.path("kind").asText()));
            }
            List<ScaleUpTiming.Timing> timings = ScaleUpTiming.of(list, seen.values());
            JsonNode m = modelResult(JSON.readTree(runDir.resolve("loadgen-result.json").toFile()));
            JsonNode latency = m.path("latency");
            Run run = new Run(name, setup, m.path("sent").asLong(), m.path("ok").asLong(), m.path("shed").asLong(),
                    m.path("deadline").asLong(), m.path("errors").asLong(), m.path("attainment").asDouble(),
                    m.path("goodputPerSecond").asDouble(), latency.path("p50Ms").asDouble(Double.NaN),
                    latency.path("p99Ms").asDouble(Double.NaN), maxServing.get(), count(list, "SCALE_UP"),
                    count(list, "PROMOTE_WARM"), count(list, "START_COLD"), timings);
            progress.printf("  %s: attainment %.2f%%, p99 %.1f ms, %d scale-up(s), %d promotion(s), %d cold start(s)%n",
                    name, 100 * run.attainment(), run.p99Ms(), run.scaleUps(), run.promotions(), run.coldStarts());
            return new Measured(run, timings);
        } finally {
            serve.close(); // SIGTERM: the control service drains and stops its workers
        }
    }

    private static int count(List<ScaleUpTiming.Event> events, String kind) {
        return (int) events.stream().filter(e -> e.kind().equals(kind)).count();
    }

    private static JsonNode modelResult(JsonNode result) {
        for (JsonNode m : result.path("models")) {
            if (m.path("model").asText().equals(MODEL)) {
                return m;
            }
        }
        throw new IllegalStateException("no " + MODEL + " in the load generator's result");
    }

    private void sampleFleet(String base, Map<String, ScaleUpTiming.ReplicaSeen> seen, AtomicInteger maxServing) {
        try {
            long now = System.currentTimeMillis();
            int serving = 0;
            for (JsonNode r : JSON.readTree(get(base + "/admin/v1/fleet"))) {
                String id = r.path("id").asText();
                if (r.path("state").asText().equals("SERVING")) {
                    serving++;
                }
                ScaleUpTiming.ReplicaSeen before = seen.get(id);
                long started = before != null ? before.startedAtMillis()
                        : now - Math.round(r.path("ageSeconds").asDouble() * 1000);
                Long ready = r.path("readySeconds").isNumber()
                        ? started + Math.round(r.path("readySeconds").asDouble() * 1000) : null;
                seen.put(id, new ScaleUpTiming.ReplicaSeen(id, r.path("group").asText(), started, ready));
            }
            maxServing.accumulateAndGet(serving, Math::max);
        } catch (Exception e) {
            // a missed sample only coarsens the timings
        }
    }

    private int whatIf(String base, double rate) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/admin/v1/plan/what-if"))
                .header("Content-Type", "application/json").header("Authorization", admin.authorization())
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"rates\":{\"" + MODEL + "\":" + rate + "}}")).build();
        JsonNode plan = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        int replicas = 0;
        for (JsonNode mp : plan.path("modelPlans")) {
            for (JsonNode t : mp.path("tuples")) {
                replicas += t.path("replicas").asInt();
            }
        }
        return replicas;
    }

    /**
     * Sequential binary requests through the gateway and straight to a serving worker, interleaved in rounds so
     * that drift on the shared machine affects both alike; {@code out} = gateway p50, p99, direct p50, p99 (ms).
     */
    private void gatewayOverhead(String base, double[] out, double[][] hops) throws Exception {
        int workerPort = -1;
        for (JsonNode r : JSON.readTree(get(base + "/admin/v1/fleet"))) {
            if (r.path("state").asText().equals("SERVING")) {
                workerPort = r.path("port").asInt();
                break;
            }
        }
        if (workerPort < 0) {
            throw new IllegalStateException("no serving worker to measure against");
        }
        int gatewayPort = URI.create(base).getPort();
        ModelSpec spec = ModelCatalog.bundled().require(MODEL);
        Map<String, Tensor> inputs = SampleInputs.of(spec, 1, 42);
        Histogram viaGateway = new Histogram(3);
        Histogram direct = new Histogram(3);
        int rounds = 5;
        int perRound = Math.max(1, options.overheadRequests() / rounds);
        double[] run = computeSeconds(workerPort); // the run (and the warm-up before it): sum, count
        try (LoadClient gateway = new LoadClient(gatewayPort, spec, inputs);
                LoadClient worker = new LoadClient(workerPort, spec, inputs)) {
            for (int i = 0; i < rounds; i++) {
                viaGateway.add(gateway.sequential(perRound, 20));
                direct.add(worker.sequential(perRound, 20));
            }
        }
        double[] after = computeSeconds(workerPort);
        out[0] = DataplaneBenchmark.ms(viaGateway, 50);
        out[1] = DataplaneBenchmark.ms(viaGateway, 99);
        out[2] = DataplaneBenchmark.ms(direct, 50);
        out[3] = DataplaneBenchmark.ms(direct, 99);
        double runMs = run[1] > 0 ? 1000 * run[0] / run[1] : Double.NaN;
        double restMs = after[1] > run[1] ? 1000 * (after[0] - run[0]) / (after[1] - run[1]) : runMs;
        double[] quantiles = new double[100];
        for (int i = 0; i < quantiles.length; i++) {
            quantiles[i] = Math.max(0, DataplaneBenchmark.ms(viaGateway, i + 0.5) - restMs);
        }
        hops[0] = new double[] {runMs};
        hops[1] = new double[] {restMs};
        hops[2] = quantiles;
    }

    /** The worker's compute histogram for the model so far: {sum in seconds, count}, from its Prometheus metrics. */
    private double[] computeSeconds(int workerPort) throws IOException, InterruptedException {
        String text = get("http://127.0.0.1:" + workerPort + "/q/metrics");
        double sum = Double.NaN;
        double count = Double.NaN;
        for (String line : text.split("\\R")) {
            if (!line.contains("model=\"" + MODEL + "\"")) {
                continue;
            }
            String value = line.substring(line.lastIndexOf(' ') + 1);
            if (line.startsWith("stratus_worker_compute_duration_seconds_sum")) {
                sum = Double.parseDouble(value);
            } else if (line.startsWith("stratus_worker_compute_duration_seconds_count")) {
                count = Double.parseDouble(value);
            }
        }
        if (Double.isNaN(sum) || Double.isNaN(count)) {
            throw new IllegalStateException("the worker on port " + workerPort + " exports no compute time for " + MODEL);
        }
        return new double[] {sum, count};
    }

    /**
     * The static run as the simulator sees it: one group of {@code replicas} at batch 1 with the worker's queue delay,
     * batch-aware dispatch, the same step arrivals (Poisson within each phase), started warm, seed 42. Calibrated
     * with what the run measured ({@link Calibration}): the batch time is the worker's mean during the run (the
     * profile's coefficient of variation kept), and every request adds a draw of the hop overhead. The uncalibrated
     * prediction (the profile of this machine's hardware class, no overhead) is reported beside it.
     */
    Prediction simulate(Run real, int replicas, double[][] hops) {
        FileProfileStore store = new FileProfileStore(options.profiles());
        String hardware = HardwareIdentity.detect(false).id();
        Profile profile = store.find(MODEL, hardware).orElseGet(() -> store.forModel(MODEL).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no profile of " + MODEL + " under " + options.profiles())));
        ServiceTime fromProfile = ServiceTime.fromCurve(new LatencyCurve(profile), 1);
        double profileMs = fromProfile.meanMs(1);
        double runMs = hops[0][0];
        ServiceTime calibrated = Double.isFinite(runMs) && runMs > 0 ? fromProfile.scaled(runMs / profileMs) : fromProfile;
        HopOverhead overhead = HopOverhead.fromQuantiles(hops[2]);
        ModelResult uncalibrated = simulate(profile, fromProfile, HopOverhead.NONE, replicas);
        ModelResult m = simulate(profile, calibrated, overhead, replicas);
        return new Prediction(real.name(), replicas, profile.provenance().hardwareId(), m.p99LatencyMs(),
                m.attainment(), real.p99Ms(), real.attainment(), uncalibrated.p99LatencyMs(),
                new Calibration(runMs, hops[1][0], profileMs, hops[2]));
    }

    private ModelResult simulate(Profile profile, ServiceTime st, HopOverhead overhead, int replicas) {
        SimPool pool = new SimPool("local-cpu", 0.1, 0.5);
        SimModel model = new SimModel(MODEL, SLO_MS, 0.99, st, profile.coldStart(), profile.coldStartCached(),
                new PiecewiseArrivals(segments(options.durationSeconds()), 0));
        SimWorkload workload = new SimWorkload(List.of(model), List.of(pool), options.durationSeconds(), 1, overhead);
        ReplicaGroup group = ReplicaGroup.single(MODEL, pool, 1, MAX_QUEUE_DELAY_MS, replicas,
                SimDispatch.BATCH_AWARE, 1.0);
        return Simulator.run("static", new SimConfig(workload, List.of(group), true), ScalingPolicy.none(), 42)
                .model(MODEL);
    }

    private Process startLoad(String base, Path scenario, Path runDir) throws IOException {
        List<String> cmd = AppCommand.java();
        cmd.addAll(List.of("-jar", options.loadgenJar().toString(), "--scenario", scenario.toString(), "--target",
                base, "--out", runDir.toString()));
        return AppCommand.start(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(runDir.resolve("loadgen.log").toFile()));
    }

    private static void awaitReady(ServiceProcess serve) throws Exception {
        // Up to the timeout: a model without a profile for this machine is profiled first.
        try {
            serve.awaitReady(Duration.ofMinutes(5));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    private String get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Authorization", admin.authorization()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
