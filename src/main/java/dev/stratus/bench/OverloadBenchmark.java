package dev.stratus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.backend.local.ServiceProcess;
import dev.stratus.catalog.ModelCache;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.ModelFetcher;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.metrics.PrometheusText;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Overload: the control service with one model on a fixed fleet (one replica, no autoscaling, so that capacity
 * cannot grow) under an open-loop load at its planned capacity (the highest rate the planner accepts for that one
 * replica: what-if planning), after a few seconds of the same load that are not measured (warm-up), then
 * {@code factor} times that (times what the first phase delivered, when that is less), then half of what the first
 * phase delivered. Reports
 * per phase the goodput (answers within the SLO per second), what was shed (429, and how fast), the latency of the
 * admitted requests, and how long after the load drops every second is clean again; the gateway's own count of
 * shed requests is compared with the client's. The reference for the goodput is the first phase of the same run:
 * on a machine busy with other work, that is what one replica delivers there and then, which may be less than
 * planned (the overload phase is then an overload of more than {@code factor} times).
 */
public final class OverloadBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Seconds in a row that must be clean (all within the SLO, nothing shed) to count as recovered. */
    static final int CLEAN_SECONDS = 3;
    /** Load at the planned capacity before the measured phases. */
    static final int WARM_UP_SECONDS = 5;

    /**
     * @param maxBatch   the model's largest batch (1 keeps each request its own batch)
     * @param hardwareId the pool's hardware class, whose profile plans it ({@code auto}: this machine's)
     */
    public record Options(String model, double sloMs, double factor, int referenceSeconds, int overloadSeconds,
            int recoverySeconds, int maxBatch, String hardwareId, Path profiles, Path workDir) {
        /**
         * ocr-rec: 26 ms of compute for a 184 KB request, so that the replica, not the HTTP handling of the client
         * and the gateway on the same cores, is what the load saturates.
         */
        public static Options defaults(Path profiles, Path workDir) {
            return new Options("ocr-rec", 300, 3, 15, 30, 15, 1, "auto", profiles, workDir);
        }

        public Options withSeconds(int reference, int overload, int recovery) {
            return new Options(model, sloMs, factor, reference, overload, recovery, maxBatch, hardwareId, profiles,
                    workDir);
        }

        public Options withSloMs(double ms) {
            return new Options(model, ms, factor, referenceSeconds, overloadSeconds, recoverySeconds, maxBatch,
                    hardwareId, profiles, workDir);
        }

        public Options withHardwareId(String id) {
            return new Options(model, sloMs, factor, referenceSeconds, overloadSeconds, recoverySeconds, maxBatch, id,
                    profiles, workDir);
        }
    }

    /** What one phase's requests (by the time they were due) got. */
    public record PhaseStats(String name, double offeredPerSecond, double seconds, long sent, long ok, long good,
            long shed, long deadline, long errors, double okP50Ms, double okP99Ms, double shedP99Ms) {
        public double goodputPerSecond() {
            return good / seconds;
        }

        /**
         * Share of the admitted requests (not shed by the gateway) answered within the SLO: a 504 (the worker found
         * the deadline could not be met, or it passed) counts against it.
         */
        public double admittedAttainment() {
            return ok + deadline == 0 ? 1 : (double) good / (ok + deadline);
        }
    }

    public record Result(String machine, String date, String model, double sloMs, double plannedCapacity,
            double factor, List<PhaseStats> phases, double recoverySeconds, long clientShed, long gatewayShed,
            long sent, long answered) {

        /** The rate the overload multiplies: the planned capacity, or what the first phase delivered if less. */
        public double capacity() {
            return phase("overload").offeredPerSecond() / factor;
        }

        public PhaseStats phase(String name) {
            return phases.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }

        /** Goodput under overload against goodput at the planned capacity, same run. */
        public double goodputRatio() {
            return phase("overload").goodputPerSecond() / phase("capacity").goodputPerSecond();
        }

        public String toTable() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "Overload benchmark: %s, %s, %s (SLO %.0f "
                    + "ms), one replica, planned capacity %.1f req/s, overload %.1fx %.1f req/s%n", machine, date,
                    model, sloMs, plannedCapacity, factor, capacity()));
            s.append(String.format(Locale.ROOT, "  %-9s %8s %6s %6s %6s %6s %5s %5s %10s %9s %9s %9s %10s%n", "phase",
                    "offered/s", "sent", "ok", "good", "shed", "ddl", "err", "goodput/s", "ok p50", "ok p99",
                    "adm.att", "shed p99"));
            for (PhaseStats p : phases) {
                s.append(String.format(Locale.ROOT, "  %-9s %8.1f %6d %6d %6d %6d %5d %5d %10.1f %7.1fms %7.1fms "
                                + "%8.2f%% %8.1fms%n", p.name(), p.offeredPerSecond(), p.sent(), p.ok(), p.good(),
                        p.shed(), p.deadline(), p.errors(), p.goodputPerSecond(), p.okP50Ms(), p.okP99Ms(),
                        100 * p.admittedAttainment(), p.shedP99Ms()));
            }
            s.append(String.format(Locale.ROOT, "  goodput under overload / at capacity: %.2f; recovered %.0f s after "
                    + "the load dropped (%d clean seconds in a row)%n", goodputRatio(), recoverySeconds, CLEAN_SECONDS));
            s.append(String.format(Locale.ROOT, "  every request answered: %d sent, %d answered; shed counted by the "
                    + "client %d, by the gateway %d", sent, answered, clientShed, gatewayShed));
            return s.toString();
        }

        public String toJson() {
            ObjectNode n = JSON.createObjectNode().put("machine", machine).put("date", date).put("model", model)
                    .put("slo_ms", sloMs).put("planned_capacity_per_s", plannedCapacity).put("factor", factor)
                    .put("overloaded_capacity_per_s", capacity())
                    .put("goodput_ratio", goodputRatio()).put("recovery_s", recoverySeconds)
                    .put("client_shed", clientShed).put("gateway_shed", gatewayShed).put("sent", sent)
                    .put("answered", answered);
            ArrayNode ps = n.putArray("phases");
            for (PhaseStats p : phases) {
                ps.addObject().put("name", p.name()).put("offered_per_s", p.offeredPerSecond()).put("sent", p.sent())
                        .put("ok", p.ok()).put("good", p.good()).put("shed", p.shed()).put("deadline", p.deadline())
                        .put("errors", p.errors()).put("goodput_per_s", p.goodputPerSecond())
                        .put("ok_p50_ms", p.okP50Ms()).put("ok_p99_ms", p.okP99Ms())
                        .put("admitted_attainment", p.admittedAttainment()).put("shed_p99_ms", p.shedP99Ms());
            }
            return n.toPrettyString();
        }
    }

    private final Options options;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public OverloadBenchmark(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public Result run() throws Exception {
        ModelSpec spec = ModelCatalog.bundled().require(options.model());
        new ModelFetcher(ModelCache.fromEnvironment(), Map.of(), progress).fetch(List.of(spec));
        Path dir = options.workDir() != null ? Files.createDirectories(options.workDir())
                : Files.createTempDirectory("stratus-overload-");
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("pool.yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: AcceleratorPool
                metadata: {name: local-cpu}
                spec: {tier: edge, hardwareId: %s, costPerHour: 0.1, maxReplicas: 1, networkRttMs: 0.5,
                       memoryMb: 4096}
                """.formatted(options.hardwareId()));
        // One replica, kept: the autoscaler may not add capacity, so the excess must be shed.
        Files.writeString(config.resolve(options.model() + ".yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: %s}
                spec:
                  slo: {latencyMs: %s, percentile: 99, targetAttainment: 0.99}
                  expectedRatePerSecond: 1
                  maxBatch: %d
                  memoryMb: 300
                  scaling: {minReplicas: 1, maxReplicas: 1, warmPool: 0}
                """.formatted(options.model(), options.sloMs(), options.maxBatch()));
        // A copy: a model without a profile for this machine is profiled first, and must not land in the source.
        Path profiles = FileProfileStore.copy(options.profiles(), dir.resolve("profiles"));
        progress.printf("overload: work directory %s%n", dir);
        try (ServiceProcess serve = ServiceProcess.start(ServiceProcess.Options.of(config, dir).withProfiles(
                profiles))) {
            serve.awaitReady(Duration.ofMinutes(5));
            serve.awaitSettled(Duration.ofSeconds(60));
            double planned = plannedCapacity(serve.base(), serve.admin().authorization());
            List<Tensor> inputs = List.copyOf(SampleInputs.of(spec, 1, 11).values());
            progress.printf("[1/3] planned capacity of one replica: %.1f req/s; %.1f req/s for %d s (warm-up, not "
                    + "measured), then %d s%n", planned, planned, WARM_UP_SECONDS, options.referenceSeconds());
            try (OpenLoop warm = new OpenLoop()) {
                // Not measured: the gateway learns how much slower than its profile the replica answers here, and
                // the JVMs on both sides compile their request paths.
                warm.run(serve.port(), options.model(), inputs, List.of(new OpenLoop.Phase(planned, WARM_UP_SECONDS)));
            }
            double shedBefore = gatewayShed(serve.base());
            List<OpenLoop.Result> reference;
            long sent;
            try (OpenLoop load = new OpenLoop()) {
                reference = load.run(serve.port(), options.model(), inputs, List.of(new OpenLoop.Phase(planned,
                        options.referenceSeconds())));
                sent = load.sent();
            }
            double delivered = reference.stream().filter(r -> r.status() == 200 && r.latencyMs() <= options.sloMs())
                    .count() / (double) options.referenceSeconds();
            double recoveryRate = Math.max(1, delivered / 2);
            // Overload of what the replica can do: of the planned capacity, or of what it delivered when the
            // machine (busy with other work) gave less; a multiple of a planned rate it cannot reach would measure
            // the cost of refusing requests on shared cores, not overload.
            double capacity = Math.max(1, Math.min(planned, delivered));
            List<OpenLoop.Phase> phases = List.of(new OpenLoop.Phase(planned, options.referenceSeconds()),
                    new OpenLoop.Phase(options.factor() * capacity, options.overloadSeconds()),
                    new OpenLoop.Phase(recoveryRate, options.recoverySeconds()));
            progress.printf("[2/3] delivered %.1f req/s within the SLO; %.1f req/s for %d s, then %.1f req/s for %d "
                    + "s%n", delivered, phases.get(1).ratePerSecond(), options.overloadSeconds(), recoveryRate,
                    options.recoverySeconds());
            List<OpenLoop.Result> all = new ArrayList<>(reference);
            try (OpenLoop load = new OpenLoop()) {
                double offset = options.referenceSeconds() * 1000.0;
                for (OpenLoop.Result r : load.run(serve.port(), options.model(), inputs, phases.subList(1, 3))) {
                    all.add(new OpenLoop.Result(r.dueMs() + offset, r.status(), r.latencyMs(), r.sentToAnswerMs()));
                }
                sent += load.sent();
            }
            double shedAfter = gatewayShed(serve.base());
            progress.println("[3/3] results");
            return result(planned, phases, all, sent, Math.round(shedAfter - shedBefore));
        }
    }

    Result result(double planned, List<OpenLoop.Phase> phases, List<OpenLoop.Result> results, long sent,
            long gatewayShed) {
        List<String> names = List.of("capacity", "overload", "recovery");
        List<PhaseStats> stats = new ArrayList<>();
        double startMs = 0;
        for (int i = 0; i < phases.size(); i++) {
            double from = startMs;
            double to = startMs + phases.get(i).seconds() * 1000;
            stats.add(stats(names.get(i), phases.get(i), results.stream().filter(r -> r.dueMs() >= from
                    && r.dueMs() < to).toList()));
            startMs = to;
        }
        double dropMs = (phases.get(0).seconds() + phases.get(1).seconds()) * 1000;
        long clientShed = results.stream().filter(r -> r.status() == 429).count();
        return new Result(DataplaneBenchmark.machine(), LocalDate.now().toString(), options.model(), options.sloMs(),
                planned, options.factor(), stats, recoverySeconds(results, dropMs, startMs, options.sloMs()),
                clientShed, gatewayShed, sent, results.size());
    }

    private PhaseStats stats(String name, OpenLoop.Phase phase, List<OpenLoop.Result> in) {
        double[] ok = in.stream().filter(r -> r.status() == 200).mapToDouble(OpenLoop.Result::latencyMs).sorted()
                .toArray();
        double[] shed = in.stream().filter(r -> r.status() == 429).mapToDouble(OpenLoop.Result::latencyMs).sorted()
                .toArray();
        long good = Arrays.stream(ok).filter(l -> l <= options.sloMs()).count();
        long deadline = in.stream().filter(r -> r.status() == 504).count();
        long errors = in.size() - ok.length - shed.length - deadline;
        return new PhaseStats(name, phase.ratePerSecond(), phase.seconds(), in.size(), ok.length, good, shed.length,
                deadline, errors, percentile(ok, 50), percentile(ok, 99), percentile(shed, 99));
    }

    /**
     * Seconds from the drop until the first of {@link #CLEAN_SECONDS} seconds in a row in which every request due
     * was answered within the SLO; the whole recovery phase when that never happened.
     */
    static double recoverySeconds(List<OpenLoop.Result> results, double dropMs, double endMs, double sloMs) {
        int seconds = (int) Math.round((endMs - dropMs) / 1000);
        int clean = 0;
        for (int s = 0; s < seconds; s++) {
            double from = dropMs + s * 1000.0;
            double to = from + 1000;
            List<OpenLoop.Result> in = results.stream().filter(r -> r.dueMs() >= from && r.dueMs() < to).toList();
            boolean ok = in.stream().allMatch(r -> r.status() == 200 && r.latencyMs() <= sloMs);
            clean = ok ? clean + 1 : 0;
            if (clean == CLEAN_SECONDS) {
                return s + 1 - CLEAN_SECONDS;
            }
        }
        return seconds;
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The highest rate one replica is planned to carry within the SLO: what-if planning, bisected. */
    private double plannedCapacity(String base, String authorization) throws Exception {
        double lo = 0;
        double hi = 1;
        while (feasible(base, hi, authorization)) {
            lo = hi;
            hi *= 2;
            if (hi > 1_000_000) {
                throw new IllegalStateException("no capacity limit found below 1,000,000 req/s");
            }
        }
        while (hi - lo > Math.max(0.5, lo * 0.01)) {
            double mid = (lo + hi) / 2;
            if (feasible(base, mid, authorization)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        if (lo <= 0) {
            throw new IllegalStateException("not even 1 req/s of " + options.model() + " fits one replica");
        }
        return Math.floor(lo);
    }

    private boolean feasible(String base, double rate, String authorization) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/admin/v1/plan/what-if"))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{\"rates\":{\"" + options.model() + "\":" + rate + "}}"))
                .build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200 && status != 422) {
            throw new IllegalStateException("what-if planning answered " + status);
        }
        return status == 200;
    }

    private double gatewayShed(String base) throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        double v = PrometheusText.value(text, "stratus_gateway_requests_total", "model", options.model(), "outcome",
                "shed");
        return Double.isNaN(v) ? 0 : v;
    }
}
