package dev.stratus.cli;

import dev.stratus.bench.DataplaneBenchmark;
import dev.stratus.bench.ProfilerBenchmark;
import dev.stratus.profiling.ProfileRequest;
import dev.stratus.profiling.ProfilingException;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stratus bench ...}: benchmarks that compare Stratus with a reference measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark.",
        subcommands = {BenchCommand.Dataplane.class, BenchCommand.ProfilerRepeatability.class})
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
                    + "HTTP (binary tensors, single-item requests batched by the worker), and the worker's added "
                    + "latency at low load."})
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

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (batch < 1 || seconds < 1 || lowLoadRequests < 10) {
                throw new UserException("--batch and --seconds must be >= 1, --low-load-requests >= 10");
            }
            if (instances < 1) {
                throw new UserException("--instances must be >= 1");
            }
            DataplaneBenchmark.Options options = new DataplaneBenchmark.Options(model, batch, threads, instances,
                    seconds, lowLoadRequests, concurrency == null ? 2 * batch * instances : concurrency, port);
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
}
