package dev.stratus.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.AppCommand;
import dev.stratus.backend.local.HttpWarmUp;
import dev.stratus.backend.local.ServiceProcess;
import dev.stratus.security.LocalAdminToken;
import dev.stratus.security.TokenFile;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.ModelFetcher;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.protocol.OipBinaryRequest;
import dev.stratus.dataplane.protocol.OipResponseDecoder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The one-command demo: fetch the sample models, draw the page the OCR pipeline reads, start the control service
 * (gateway, planned workers, autoscaler with a warm pool), warm the gateway's and the pipeline's request paths, run
 * the load scenario against the gateway while sampling the fleet and the gateway's latency histograms every second,
 * then print the SLO report, write an HTML report, and stop everything it started.
 */
public final class Demo {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Requests per model through the gateway before the load. */
    static final int GATEWAY_WARM_UP = 200;
    /** Pages through each pipeline before the load, within {@link #PIPELINE_WARM_UP_BUDGET}. */
    static final int PIPELINE_WARM_UP = 30;
    static final Duration PIPELINE_WARM_UP_BUDGET = Duration.ofSeconds(30);

    /** Where things are and how long to run. */
    public record Options(Path config, Path scenario, Path loadgenJar, Path out, int port, Integer durationSeconds) {
    }

    private final Options options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The token the control service started here accepts (the user's local token file, as for serve). */
    private LocalAdminToken admin;

    public Demo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo; returns the process exit status (0 when the run completed, whatever the SLO). */
    public int run() throws Exception {
        if (!Files.isRegularFile(options.loadgenJar())) {
            throw new IllegalStateException("load generator jar " + options.loadgenJar() + " missing; build it with "
                    + "./mvnw -f loadgen/pom.xml package (./stratus demo does it for you)");
        }
        Files.createDirectories(options.out());
        out.println("[1/4] sample models");
        ModelCatalog catalog = ModelCatalog.bundled();
        new ModelFetcher(ModelCache.fromEnvironment(), Map.of(), out).fetch(catalog.models());
        // The page the load sends through the OCR pipeline, drawn now: no image is committed.
        byte[] page = TextPage.DEMO.png();
        Files.write(options.out().resolve(TextPage.DEMO_FILE), page);
        Path stateDir = options.out().resolve("state");
        deleteTree(stateDir); // a previous demo's: every run starts from the configuration alone
        Files.deleteIfExists(options.out().resolve("serve.log"));
        ServiceProcess serve = ServiceProcess.start(new ServiceProcess.Options(options.port(), options.config(),
                // The demo's own state directory: a run leaves nothing in the configuration directory.
                Optional.of(stateDir), Optional.empty(), options.out().resolve("workers"),
                options.out().resolve("serve.log"), 2000, Map.of(), TokenFile.defaultPath()));
        admin = serve.admin();
        String base = serve.base();
        out.printf("[2/4] control service on %s (config %s; log %s; admin API token: ./stratus token)%n", base,
                options.config(), serve.log());
        try {
            awaitReady(serve);
            out.printf("      SLO dashboard (live while the demo runs): %s/dashboard%n", base);
            // Load before the standbys are warm would share the cores with their JVM starts: the first seconds
            // would measure start-up, not serving.
            out.println("      waiting for the fleet to settle (planned replicas and standbys warm)");
            if (!serve.awaitSettled(Duration.ofMinutes(3))) {
                out.println("      the fleet had not settled after 3 minutes; starting the load anyway");
            }
            // The gateway's request path is as cold as a new worker's was: a fresh JVM compiles it during its first
            // few hundred requests, which would otherwise be the load's first seconds.
            List<String> models = new ArrayList<>();
            JSON.readTree(get(base + "/v2")).path("models").forEach(m -> models.add(m.asText()));
            out.printf("      warming the gateway's request path (%d requests per model, one at a time)%n",
                    GATEWAY_WARM_UP);
            List<String> pipelines = pipelines(base, models);
            // A pipeline's stage models are warmed through the pipeline, at about the rate it serves: 200 requests
            // of random tensors straight at the detector would take it for a burst, and the autoscaler would plan
            // (and hold for its stabilisation window) replicas for load that never comes.
            Set<String> stageModels = new HashSet<>();
            for (String pipeline : pipelines) {
                JSON.readTree(get(base + "/v2/models/" + pipeline)).path("parameters").path("stages")
                        .forEach(st -> stageModels.add(st.path("model").asText()));
            }
            HttpWarmUp.run(serve.port(), models.stream().filter(m -> !pipelines.contains(m)
                    && !stageModels.contains(m)).toList(), GATEWAY_WARM_UP, Duration.ofSeconds(20));
            for (String pipeline : pipelines) {
                warmPipeline(base, pipeline, page);
            }
            String metricsBefore = get(base + "/q/metrics");
            out.printf("[3/4] load: %s against the gateway%n", options.scenario());
            List<FleetSample> fleet = new ArrayList<>();
            Process load = startLoad(base);
            long start = System.nanoTime();
            List<String> histograms = new ArrayList<>(List.of(histogramLines(metricsBefore)));
            while (!load.waitFor(1, TimeUnit.SECONDS)) {
                fleet.add(sample(base, (System.nanoTime() - start) / 1e9));
                if (!pipelines.isEmpty()) {
                    histograms.add(histogramLines(get(base + "/q/metrics")));
                }
            }
            if (load.exitValue() != 0) {
                throw new IllegalStateException("load generator exited with " + load.exitValue() + "; see "
                        + options.out().resolve("loadgen.log"));
            }
            out.println("[4/4] report");
            JsonNode result = JSON.readTree(options.out().resolve("loadgen-result.json").toFile());
            JsonNode plan = JSON.readTree(get(base + "/admin/v1/plan"));
            JsonNode events = JSON.readTree(get(base + "/admin/v1/events?limit=1000"));
            String svg = Files.readString(options.out().resolve("loadgen-plot.svg"));
            String metricsAfter = get(base + "/q/metrics");
            histograms.add(histogramLines(metricsAfter));
            List<DemoReport.PipelineStages> stages = new ArrayList<>();
            for (String pipeline : pipelines) {
                List<StageLatency> latencies = new ArrayList<>();
                for (JsonNode stage : JSON.readTree(get(base + "/v2/models/" + pipeline)).path("parameters")
                        .path("stages")) {
                    latencies.add(StageLatency.over(stage.path("model").asText(), histograms)
                            .withBudget(stage.path("budget_ms").asDouble()));
                }
                stages.add(new DemoReport.PipelineStages(pipeline, latencies));
            }
            DemoReport report = new DemoReport(result, plan, events, fleet, svg, stages,
                    Spill.between(metricsBefore, metricsAfter));
            out.print(report.text());
            Path html = options.out().resolve("report.html");
            Files.writeString(html, report.html());
            out.println("HTML report: " + html.toAbsolutePath());
            return 0;
        } finally {
            serve.close(); // SIGTERM: the control service drains and stops its workers
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Process startLoad(String base) throws IOException {
        List<String> cmd = AppCommand.java();
        // Input files the scenario names (the page) are the ones this run wrote into its output folder.
        cmd.addAll(List.of("-jar", options.loadgenJar().toString(), "--scenario", options.scenario().toString(),
                "--target", base, "--out", options.out().toString(), "--input-dir", options.out().toString()));
        if (options.durationSeconds() != null) {
            cmd.addAll(List.of("--duration-s", options.durationSeconds().toString()));
        }
        // Progress (stderr) to the terminal; the loadgen's own table goes to a file (the report has it all).
        return AppCommand.start(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(options.out().resolve("loadgen.log").toFile()));
    }

    /** Only the latency histograms' lines of a scrape: what {@link StageLatency} reads, kept once a second. */
    private static String histogramLines(String metrics) {
        return String.join("\n", metrics.lines().filter(l -> l.startsWith(StageLatency.HISTOGRAM)).toList());
    }

    /** The names the gateway serves that are pipelines (their metadata says {@code platform: stratus_pipeline}). */
    private List<String> pipelines(String base, List<String> served) throws IOException, InterruptedException {
        List<String> pipelines = new ArrayList<>();
        for (String name : served) {
            if (JSON.readTree(get(base + "/v2/models/" + name)).path("platform").asText().equals("stratus_pipeline")) {
                pipelines.add(name);
            }
        }
        return pipelines;
    }

    /**
     * The pipeline's own path (image decoding, detection post-processing, crops, CTC decoding in the gateway) is as
     * cold as the request path was: the page goes through it one request at a time before the load. The first
     * answer shows what the pipeline reads on the page.
     */
    private void warmPipeline(String base, String pipeline, byte[] page) throws IOException, InterruptedException {
        OipBinaryRequest body = OipBinaryRequest.of(List.of(Tensor.bytes("image", new long[] {1}, List.of(page))));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v2/models/" + pipeline + "/infer"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", admin.authorization())
                .header(OipBinaryRequest.HEADER_LENGTH, Integer.toString(body.headerLength()))
                .header("Content-Type", OipBinaryRequest.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.body())).build();
        long deadline = System.nanoTime() + PIPELINE_WARM_UP_BUDGET.toNanos();
        for (int i = 0; i < PIPELINE_WARM_UP && System.nanoTime() < deadline; i++) {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (i > 0) {
                continue;
            }
            if (r.statusCode() != 200) {
                out.printf("      %s answered %d: %s%n", pipeline, r.statusCode(), OipResponseDecoder.error(r.body()));
                continue;
            }
            OptionalInt header = r.headers().firstValue(OipBinaryRequest.HEADER_LENGTH)
                    .map(v -> OptionalInt.of(Integer.parseInt(v))).orElse(OptionalInt.empty());
            Tensor text = OipResponseDecoder.outputs(r.body(), header).get("text");
            List<String> lines = text == null ? List.of() : text.bytesElements().stream()
                    .map(b -> new String(b, StandardCharsets.UTF_8)).toList();
            out.printf("      %s reads the demo page (%s) as %s%n", pipeline, TextPage.DEMO_FILE, lines);
        }
        out.printf("      warmed the %s pipeline's path (%d pages, one at a time)%n", pipeline, PIPELINE_WARM_UP);
    }

    private void awaitReady(ServiceProcess serve) throws Exception {
        // Up to the timeout: a model without a profile for this machine is profiled first.
        try {
            serve.awaitReady(Duration.ofMinutes(10));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    private FleetSample sample(String base, double at) {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        try {
            for (JsonNode r : JSON.readTree(get(base + "/admin/v1/fleet"))) {
                counts.computeIfAbsent(r.path("group").asText(), g -> new LinkedHashMap<>())
                        .merge(r.path("state").asText(), 1, Integer::sum);
            }
        } catch (Exception e) {
            // a missed sample leaves a gap in the chart, nothing worse
        }
        return new FleetSample(at, counts);
    }

    private String get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Authorization", admin.authorization()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
