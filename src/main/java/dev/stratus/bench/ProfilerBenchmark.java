package dev.stratus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.profiling.ProfileRequest;
import dev.stratus.profiling.Profiler;
import dev.stratus.profiling.ProfilingException;
import dev.stratus.profiling.ProfilingProgress;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The profiler measured against itself: the same model profiled twice in a row, and how far the two runs'
 * p50 latencies differ per batch size (the repeatability of our own numbers), the cold start with and
 * without the optimised-model cache, and each run's wall time.
 */
public final class ProfilerBenchmark {
    public record Run(Profile profile, double wallSeconds) {
    }

    public record Result(String machine, List<Run> runs) {

        /** |p50(run 2) − p50(run 1)| / p50(run 1) for a batch size. */
        public double p50Difference(int batch) {
            double a = runs.get(0).profile().measured(batch).orElseThrow().p50Ms();
            double b = runs.get(1).profile().measured(batch).orElseThrow().p50Ms();
            return Math.abs(b - a) / a;
        }

        public String toTable() {
            Profile first = runs.get(0).profile();
            StringBuilder s = new StringBuilder(String.format("profiler repeatability: %s on %s, %d threads (%s)%n",
                    first.model(), first.hardwareId(), first.provenance().threads(), machine));
            s.append(String.format("%6s %12s %12s %10s %9s%n", "batch", "p50 run 1", "p50 run 2", "diff", "stable"));
            for (BatchMeasurement m : first.batches()) {
                BatchMeasurement m2 = runs.get(1).profile().measured(m.batch()).orElseThrow();
                s.append(String.format("%6d %9.2f ms %9.2f ms %9.1f%% %5s/%-3s%n", m.batch(), m.p50Ms(), m2.p50Ms(),
                        100 * p50Difference(m.batch()), m.stable() ? "yes" : "no", m2.stable() ? "yes" : "no"));
            }
            for (int i = 0; i < runs.size(); i++) {
                Profile p = runs.get(i).profile();
                s.append(String.format("run %d: wall %.0f s; cold start %.0f ms (session %.0f ms), with the optimised-"
                                + "model cache %.0f ms (session %.0f ms): cache saves %.0f%% of session creation%n",
                        i + 1, runs.get(i).wallSeconds(), p.coldStart().totalMs(), p.coldStart().sessionCreateMs(),
                        p.coldStartCached().totalMs(), p.coldStartCached().sessionCreateMs(),
                        100 * (1 - p.coldStartCached().sessionCreateMs() / p.coldStart().sessionCreateMs())));
            }
            return s.toString();
        }

        public String toJson() {
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = json.createObjectNode().put("machine", machine)
                    .put("model", runs.get(0).profile().model());
            ArrayNode batches = root.putArray("p50Difference");
            for (BatchMeasurement m : runs.get(0).profile().batches()) {
                batches.addObject().put("batch", m.batch()).put("relative", p50Difference(m.batch()));
            }
            ArrayNode rs = root.putArray("runs");
            for (Run r : runs) {
                rs.addObject().put("wallSeconds", r.wallSeconds())
                        .set("profile", dev.stratus.profiles.ProfileDocuments.toTree(r.profile()));
            }
            return root.toPrettyString();
        }
    }

    private final ProfileRequest request;
    private final PrintStream progress;

    public ProfilerBenchmark(ProfileRequest request, PrintStream progress) {
        this.request = request;
        this.progress = progress;
    }

    public Result run() throws ProfilingException, InterruptedException, java.io.IOException {
        Profiler.prepare(request);
        List<Run> runs = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            int run = i;
            ProfilingProgress printer = u -> progress.printf("[run %d/2 %3.0f%%] %-40s %s (~%.0f s left)%n", run,
                    100 * u.fraction(), u.phase(), u.detail(), Math.max(0, u.secondsLeft()));
            long start = System.nanoTime();
            Profile p = new Profiler(request, printer, Files.createTempDirectory("stratus-bench-profile-")).run();
            runs.add(new Run(p, (System.nanoTime() - start) / 1e9));
        }
        return new Result(DataplaneBenchmark.machine(), runs);
    }
}
