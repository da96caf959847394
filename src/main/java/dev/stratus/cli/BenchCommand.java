package dev.stratus.cli;

import dev.stratus.bench.DataplaneBenchmark;
import dev.stratus.bench.ProfilerBenchmark;
import dev.stratus.profiling.ProfileRequest;
import dev.stratus.profiling.ProfilingException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stratus bench ...}: benchmarks that compare Stratus with a reference measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark.",
        subcommands = {BenchCommand.Dataplane.class, BenchCommand.ProfilerRepeatability.class,
                BenchCommand.PlannerVsBaselines.class, BenchCommand.EndToEnd.class, BenchCommand.Overload.class,
                BenchCommand.EarlyDrop.class})
public class BenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    @Command(name = "dataplane", mixinStandardHelpOptions = true,
            description = {"Throughput of ONNX Runtime called directly vs the same work served by a worker over "
                    + "HTTP/JSON, HTTP/binary and gRPC (single-item requests batched by the worker), the worker's CPU "
                    + "time per item against direct ORT's (from /proc), and the worker's added latency at low load; "
                    + "unpinned, and pinned with taskset (load client and worker on separate cores)."})
    static class Dataplane implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "Model to measure, e.g. ocr-det.")
        String model;

        @Option(names = "--batch", defaultValue = "8", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--threads", defaultValue = "0",
                description = "The worker's ONNX Runtime intra-op threads (also used by the matching direct run and the "
                        + "latency reference); 0 = one per core (default).")
        int threads;

        @Option(names = "--instances", defaultValue = "1",
                description = "Batches the worker runs at once (and direct callers in the matching reference run).")
        int instances;

        @Option(names = "--seconds", defaultValue = "15",
                description = "Measurement time per throughput phase (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--low-load-requests", defaultValue = "300",
                description = "Sequential requests for the added-latency phase (default: ${DEFAULT-VALUE}).")
        int lowLoadRequests;

        @Option(names = "--concurrency", description = "Requests in flight in the throughput phase (default 2 x batch).")
        Integer concurrency;

        @Option(names = "--port", defaultValue = "0", description = "Worker port; 0 picks a free one.")
        int port;

        @Option(names = "--target", paramLabel = "URL",
                description = {"Measure a worker already running at this loopback URL (e.g. a container of the "
                        + "image with --network host, docs/container.md) instead of starting one. Start it with "
                        + "--models MODEL --max-batch BATCH --max-queue-delay-ms 0 and the same --threads and "
                        + "--instances."})
        URI target;

        @Option(names = "--pin",
                description = {"off: every process on every core; on: the load client on its own cores, the worker "
                        + "and the direct reference on the others (taskset); both: one run of each "
                        + "(default: both; off with --target)."})
        String pin;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            int targetPort = 0;
            if (target != null) {
                // Loopback only: a container is reached with host networking, never on the bridge's addresses.
                if (!"http".equals(target.getScheme()) || target.getPort() < 1
                        || !List.of("127.0.0.1", "localhost").contains(target.getHost())) {
                    throw new UserException("--target must be http://127.0.0.1:PORT (a worker on this machine), got "
                            + target);
                }
                targetPort = target.getPort();
            }
            if (batch < 1 || seconds < 1 || lowLoadRequests < 10) {
                throw new UserException("--batch and --seconds must be >= 1, --low-load-requests >= 10");
            }
            if (instances < 1) {
                throw new UserException("--instances must be >= 1");
            }
            if (pin == null) {
                pin = target != null ? "off" : "both";
            }
            DataplaneBenchmark.Pin pinning = switch (pin) {
                case "off" -> DataplaneBenchmark.Pin.OFF;
                case "on" -> DataplaneBenchmark.Pin.ON;
                case "both" -> DataplaneBenchmark.Pin.BOTH;
                default -> throw new UserException("--pin must be off, on or both, got '" + pin + "'");
            };
            if (target != null && pinning != DataplaneBenchmark.Pin.OFF) {
                throw new UserException("--target measures a worker this command did not start: use --pin off");
            }
            if (pinning != DataplaneBenchmark.Pin.OFF && Runtime.getRuntime().availableProcessors() < 2) {
                throw new UserException("--pin " + pin + " needs at least 2 cores; use --pin off");
            }
            DataplaneBenchmark.Options options = new DataplaneBenchmark.Options(model, batch, threads, instances,
                    seconds, lowLoadRequests, concurrency == null ? 2 * batch * instances : concurrency, port,
                    targetPort, pinning);
            DataplaneBenchmark.Result result = new DataplaneBenchmark(options, json ? System.err : System.out).run();
            System.out.println(json ? result.toJson() : result.toTable());
            return 0;
        }
    }

    @Command(name = "profiler", mixinStandardHelpOptions = true,
            description = {"Profile a model twice in a row (nothing is stored) and report how far the two runs' p50 "
                    + "differ per batch size, the cold start with and without the optimised-model cache, and each "
                    + "run's wall time."})
    static class ProfilerRepeatability implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "ocr-det", description = "Model (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--batches", split = ",", description = "Batch sizes (default 1,2,4,8,16).")
        List<Integer> batches;

        @Option(names = "--threads", defaultValue = "0", description = "Worker intra-op threads; 0 = one per core.")
        int threads;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ProfileRequest request = new ProfileRequest(model, batches, threads, Map.of(), Optional.empty(),
                    dev.stratus.profiling.MeasurementSettings.DEFAULT);
            try {
                ProfilerBenchmark.Result result = new ProfilerBenchmark(request, System.err).run();
                System.out.println(json ? result.toJson() : result.toTable());
                return 0;
            } catch (ProfilingException e) {
                throw new UserException(e.getMessage());
            }
        }
    }

    @Command(name = "planner", mixinStandardHelpOptions = true,
            description = {"Every planner policy's cost at 99%% simulated SLO attainment on a fixed suite of workloads "
                    + "(measured sample-model profiles and synthetic variants), Stratus against the best baseline, the "
                    + "heuristic against the exact solver on the small instances, and planner runtime for 10 to 10,000 "
                    + "models. Progress on stderr."})
    static class PlannerVsBaselines implements Callable<Integer> {
        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Option(names = "--profiles", paramLabel = "DIR", defaultValue = "profiles",
                description = "Where the sample models' profiles are (default: ${DEFAULT-VALUE}).")
        java.nio.file.Path profiles;

        @Option(names = "--duration", defaultValue = "600", description = "Simulated seconds per run (default: ${DEFAULT-VALUE}).")
        double duration;

        @Option(names = "--no-bursty", description = "Skip the bursty (MMPP) variant.")
        boolean noBursty;

        @Option(names = "--only", split = ",", paramLabel = "WORKLOAD", description = "Run only these workloads of the suite.")
        List<String> only;

        @Option(names = "--suite", paramLabel = "DIR", description = "Run the same search on every plan request "
                + "(*.yaml, *.yml, *.json) in DIR instead of the built-in suite, with the profiles of --profiles.")
        java.nio.file.Path suiteDir;

        @Option(names = "--runtime-sizes", defaultValue = "10,100,1000,10000", paramLabel = "N,N,...",
                description = "Model counts for the runtime part (default: ${DEFAULT-VALUE}; 'none' to skip).")
        String runtimeSizes;

        @Override
        public Integer call() {
            if (!(duration > 0)) {
                throw new UserException("--duration must be > 0");
            }
            dev.stratus.core.port.ProfileStore store;
            List<dev.stratus.bench.PlannerSuite.Workload> suite;
            try {
                if (suiteDir != null) {
                    store = new dev.stratus.profiles.FileProfileStore(profiles);
                    suite = dev.stratus.bench.PlannerSuite.fromDirectory(suiteDir);
                } else {
                    store = dev.stratus.bench.PlannerSuite.profiles(new dev.stratus.profiles.FileProfileStore(profiles));
                    suite = dev.stratus.bench.PlannerSuite.workloads();
                }
            } catch (IllegalStateException | IllegalArgumentException | dev.stratus.profiles.ProfileException e) {
                throw new UserException(e.getMessage());
            }
            if (only != null) {
                List<String> names = suite.stream().map(dev.stratus.bench.PlannerSuite.Workload::name).toList();
                for (String n : only) {
                    if (!names.contains(n)) {
                        throw new UserException("unknown workload '" + n + "'; the suite has " + String.join(", ", names));
                    }
                }
                suite = suite.stream().filter(w -> only.contains(w.name())).toList();
            }
            dev.stratus.bench.PlannerBenchmark.Options options = new dev.stratus.bench.PlannerBenchmark.Options(duration,
                    !noBursty, true, sizes(runtimeSizes),
                    dev.stratus.core.simulation.planned.CapacitySearch.Limits.defaults());
            dev.stratus.bench.PlannerBenchmark.Result result =
                    new dev.stratus.bench.PlannerBenchmark(options, store, System.err).run(suite);
            System.out.println(json ? result.toJson() : result.toTable());
            return 0;
        }

        private static List<Integer> sizes(String text) {
            if (text == null || text.isBlank() || text.trim().equals("none")) {
                return List.of();
            }
            try {
                List<Integer> sizes = java.util.Arrays.stream(text.split(",")).map(String::trim).map(Integer::valueOf).toList();
                if (sizes.stream().anyMatch(n -> n < 1)) {
                    throw new NumberFormatException();
                }
                return sizes;
            } catch (NumberFormatException e) {
                throw new UserException("--runtime-sizes: expected positive model counts separated by commas, or none; got '"
                        + text + "'");
            }
        }
    }

    @Command(name = "e2e", mixinStandardHelpOptions = true,
            description = {"The whole local system (stratus serve: gateway, workers, autoscaler) under a load step "
                    + "(ocr-cls 40 -> 150 -> 40 req/s), run three times: autoscaler with a warm pool, without one "
                    + "(cold starts), and a static fleet planned for the mean rate. Reports SLO attainment and "
                    + "goodput per run, scale-up decision-to-serving time warm vs cold, the gateway's added latency "
                    + "against calling a worker directly, and the simulator's prediction of the static run against "
                    + "the measurement. About 6 minutes at the default duration. Progress on stderr."})
    static class EndToEnd implements Callable<Integer> {
        @Option(names = "--duration-s", defaultValue = "90",
                description = "Length of each run's load step in seconds (default: ${DEFAULT-VALUE}).")
        int durationSeconds;

        @Option(names = "--overhead-requests", defaultValue = "500",
                description = "Sequential requests each through the gateway and to the worker (default: ${DEFAULT-VALUE}).")
        int overheadRequests;

        @Option(names = "--loadgen-jar", defaultValue = "loadgen/target/stratus-loadgen.jar",
                description = "The load generator (built by ./stratus bench e2e; default: ${DEFAULT-VALUE}).")
        java.nio.file.Path loadgenJar;

        @Option(names = "--profiles", paramLabel = "DIR", defaultValue = "profiles",
                description = "Profiles for serve and the simulator (default: ${DEFAULT-VALUE}).")
        java.nio.file.Path profiles;

        @Option(names = "--out", paramLabel = "DIR", description = "Keep configs, logs and results here (default: a temp dir).")
        java.nio.file.Path out;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (durationSeconds < 9 || overheadRequests < 10) {
                throw new UserException("--duration-s must be >= 9 and --overhead-requests >= 10");
            }
            try {
                dev.stratus.bench.EndToEndBenchmark.Result result = new dev.stratus.bench.EndToEndBenchmark(
                        new dev.stratus.bench.EndToEndBenchmark.Options(loadgenJar, profiles, durationSeconds,
                                overheadRequests, out), System.err).run();
                System.out.println(json ? result.toJson() : result.toTable());
                return 0;
            } catch (IllegalStateException e) {
                throw new UserException(e.getMessage());
            }
        }
    }

    @Command(name = "overload", mixinStandardHelpOptions = true,
            description = {"The control service with one model on one replica (no autoscaling) under an open-loop "
                    + "load at its planned capacity, then --factor times that, then half of what it delivered: "
                    + "goodput, shedding (429, counted by client and gateway), latency of admitted requests, "
                    + "recovery after the load drops. About 2 minutes at the defaults (plus profiling the model "
                    + "first where this machine has no profile of it). Progress on stderr."})
    static class Overload implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "ocr-rec", description = "Model (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--slo-ms", defaultValue = "300", description = "Its latency SLO (default: ${DEFAULT-VALUE}).")
        double sloMs;

        @Option(names = "--factor", defaultValue = "3",
                description = "Overload as a multiple of the planned capacity (default: ${DEFAULT-VALUE}).")
        double factor;

        @Option(names = "--seconds", split = ",", defaultValue = "15,30,15", paramLabel = "CAP,OVER,RECOVER",
                description = "Length of the three phases (default: ${DEFAULT-VALUE}).")
        List<Integer> seconds;

        @Option(names = "--hardware-id", defaultValue = "auto",
                description = "The pool's hardware class, whose profile plans it; auto: this machine's (default: "
                        + "${DEFAULT-VALUE}).")
        String hardwareId;

        @Option(names = "--max-batch", defaultValue = "1", description = "Largest batch (default: ${DEFAULT-VALUE}).")
        int maxBatch;

        @Option(names = "--profiles", paramLabel = "DIR", defaultValue = "profiles",
                description = "Profiles, copied for the run (default: ${DEFAULT-VALUE}).")
        java.nio.file.Path profiles;

        @Option(names = "--out", paramLabel = "DIR", description = "Keep configs and logs here (default: a temp dir).")
        java.nio.file.Path out;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (seconds.size() != 3 || seconds.stream().anyMatch(s -> s < 3) || !(factor > 1) || !(sloMs > 0)
                    || maxBatch < 1) {
                throw new UserException("--seconds takes three lengths >= 3, --factor must be > 1, --slo-ms > 0, "
                        + "--max-batch >= 1");
            }
            dev.stratus.bench.OverloadBenchmark.Result result = new dev.stratus.bench.OverloadBenchmark(
                    new dev.stratus.bench.OverloadBenchmark.Options(model, sloMs, factor, seconds.get(0),
                            seconds.get(1), seconds.get(2), maxBatch, hardwareId, profiles, out), System.err).run();
            System.out.println(json ? result.toJson() : result.toTable());
            return 0;
        }
    }

    @Command(name = "early-drop", mixinStandardHelpOptions = true,
            description = {"Goodput of the worker's batch rule under overload, shrinking batches for late requests "
                    + "(before) against early drop (after), on the worker runtime with real ONNX Runtime and in the "
                    + "simulator. About 2 minutes."})
    static class EarlyDrop implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "ocr-rec", description = "Sample model (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--batch", defaultValue = "8", description = "Max batch (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime intra-op threads (default: "
                + "${DEFAULT-VALUE}, as the profiles were measured).")
        int threads;

        @Option(names = "--overload", defaultValue = "2", description = "Offered load over full-batch capacity "
                + "(default: ${DEFAULT-VALUE}).")
        double overload;

        @Option(names = "--slo-factor", defaultValue = "3", description = "Each request's deadline, as a multiple of the "
                + "measured max-batch time (default: ${DEFAULT-VALUE}).")
        double sloFactor;

        @Option(names = "--seconds", defaultValue = "30", description = "Length of each rule's run (default: "
                + "${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            dev.stratus.bench.EarlyDropBenchmark.Options options;
            try {
                options = new dev.stratus.bench.EarlyDropBenchmark.Options(model, batch, threads, overload, sloFactor,
                        seconds, 7);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            dev.stratus.bench.EarlyDropBenchmark.Result r;
            try {
                r = new dev.stratus.bench.EarlyDropBenchmark(options, System.err).run();
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            System.out.println(json ? r.toJson() : r.toTable());
            return 0;
        }
    }
}
