package dev.stratus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.catalog.InputShapes;
import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.profiling.StabilityRule;
import dev.stratus.operator.adapter.KubernetesProfiles;
import dev.stratus.profiles.FileProfileStore;
import dev.stratus.profiles.NexusProfileImport;
import dev.stratus.profiles.ProfileDocuments;
import dev.stratus.profiles.ProfileException;
import dev.stratus.profiling.MeasurementSettings;
import dev.stratus.profiling.ProfileRequest;
import dev.stratus.profiling.Profiler;
import dev.stratus.profiling.ProfilingException;
import dev.stratus.profiling.ProfilingProgress;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stratus profile MODEL}: measure a model on this machine and store its profile. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Profile a model on this machine with real worker processes: latency (mean, std, p50/p95/p99),",
                "throughput and memory per batch size, cold start with and without ONNX Runtime's optimised-model",
                "cache, and a fitted latency model. Writes DIR/<model>/<hardware-id>.yaml."})
public class ProfileCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "Catalog name of the model, e.g. ocr-det.")
    String model;

    @Option(names = "--batches", split = ",", paramLabel = "N",
            description = "Batch sizes to measure (default 1,2,4,8,16, up to the model's largest).")
    List<Integer> batches;

    @Option(names = "--threads", defaultValue = "0",
            description = "ONNX Runtime intra-op threads of the worker; 0 = one per core (default).")
    int threads;

    @Option(names = "--input-shape", paramLabel = "NAME=DIMS",
            description = "Shape of one item of an input, batch dim 1, e.g. x=1,3,960,960 (repeatable).")
    List<String> inputShapes = List.of();

    @Option(names = "--out", defaultValue = "profiles", paramLabel = "DIR",
            description = "Profile store directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print the profile as JSON on standard output.")
    boolean json;

    @Option(names = "--catalog", paramLabel = "FILE", description = "Model catalog (default: the bundled one).")
    Path catalog;

    @Option(names = "--note", paramLabel = "TEXT", description = "Free text stored in the profile's provenance.")
    String note;

    @Option(names = "--import-nexus", paramLabel = "FILE", description = {"Do not measure: convert a latency table in "
            + "the Nexus serving system's profile format (batch,latency(us),std(us),memory(B)) into a profile of MODEL "
            + "for planning and simulation (see docs/profiles.md). Needs --hardware-id and --input-shape."})
    Path importNexus;

    @Option(names = "--max-batch", defaultValue = "64", paramLabel = "N",
            description = "With --import-nexus: the largest batch to keep (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--assumed-cold-start-ms", defaultValue = "6000", paramLabel = "MS",
            description = "With --import-nexus: the cold start to record, which the format lacks (default: "
                    + "${DEFAULT-VALUE}; said so in the provenance).")
    double assumedColdStartMs;

    @Option(names = "--window-ms", defaultValue = "1000",
            description = "Shortest measurement window in ms (default: ${DEFAULT-VALUE}).")
    int windowMs;

    @Option(names = "--min-iterations", defaultValue = "10",
            description = "Fewest calls per window (default: ${DEFAULT-VALUE}).")
    int minIterations;

    @Option(names = "--hardware-id", paramLabel = "ID",
            description = "Store the profile under this hardware class (default: the one detected here). A profiling "
                    + "Job uses it to store the profile under its pool's class. Required with --import-nexus (e.g. "
                    + "gpu-titanx-pascal).")
    String hardwareId;

    @Option(names = "--configmap-namespace", paramLabel = "NS",
            description = "Store the profile as a ConfigMap in this Kubernetes namespace (the operator's profile "
                    + "store) instead of under --out.")
    String configMapNamespace;

    @Option(names = "--max-windows", defaultValue = "12",
            description = "Windows per batch size before giving up on stability (default: ${DEFAULT-VALUE}).")
    int maxWindows;

    @Override
    public Integer call() throws Exception {
        if (importNexus != null) {
            return importNexus();
        }
        ProfileRequest request;
        try {
            request = new ProfileRequest(model, batches, threads, parseShapes(inputShapes), Optional.ofNullable(catalog),
                    new MeasurementSettings(windowMs, minIterations, maxWindows, StabilityRule.DEFAULT));
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        PrintStream err = System.err;
        Path work = Files.createTempDirectory("stratus-profile-");
        Profile profile;
        try {
            Profiler.prepare(request);
            profile = new Profiler(request, printer(err), work).run();
        } catch (ProfilingException e) {
            return e.status() == 400 ? usage(e.getMessage()) : fail(e.getMessage());
        }
        if (note != null) {
            profile = new Profile(profile.model(), profile.provenance().withNote(note), profile.batches(),
                    profile.fit(), profile.coldStart(), profile.coldStartCached());
        }
        if (hardwareId != null) {
            profile = new Profile(profile.model(), profile.provenance().withHardwareId(hardwareId), profile.batches(),
                    profile.fit(), profile.coldStart(), profile.coldStartCached());
        }
        err.println(table(profile));
        if (configMapNamespace != null) {
            KubernetesProfiles.save(configMapNamespace, profile);
            err.println("stored as ConfigMap " + KubernetesProfiles.name(profile) + " in " + configMapNamespace);
        } else {
            FileProfileStore store = new FileProfileStore(out);
            store.save(profile);
            err.println("wrote " + store.fileFor(profile.model(), profile.hardwareId()));
        }
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(ProfileDocuments.toTree(profile)));
        }
        return 0;
    }

    private int importNexus() throws Exception {
        if (hardwareId == null || inputShapes.isEmpty() || maxBatch < 1 || !(assumedColdStartMs >= 0)) {
            return usage("--import-nexus needs --hardware-id, --input-shape, --max-batch >= 1 and a cold start >= 0");
        }
        if (!Files.isRegularFile(importNexus)) {
            return fail("no such file: " + importNexus);
        }
        Map<String, List<Long>> shapes = new LinkedHashMap<>();
        try {
            parseShapes(inputShapes).forEach((k, v) -> shapes.put(k, Arrays.stream(v).boxed().toList()));
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        double t = assumedColdStartMs;
        // The format has no cold start: the assumed total, split like the measured CPU profiles' phases.
        ColdStart cold = new ColdStart(0.3 * t, 0.4 * t, 0.1 * t, 0.2 * t, false);
        Profile profile;
        try {
            profile = NexusProfileImport.convert(Files.readString(importNexus), model, hardwareId, maxBatch, shapes,
                    cold, importNexus.getFileName().toString(), java.time.Instant.now()
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        } catch (ProfileException | NumberFormatException e) {
            return fail(importNexus + ": " + e.getMessage());
        }
        if (note != null) {
            profile = new Profile(profile.model(), profile.provenance().withNote(note), profile.batches(),
                    profile.fit(), profile.coldStart(), profile.coldStartCached());
        }
        FileProfileStore store = new FileProfileStore(out);
        store.save(profile);
        System.err.println(table(profile));
        System.err.println("wrote " + store.fileFor(profile.model(), profile.hardwareId()));
        return 0;
    }

    /** One line per update: percent done, phase, latest measurement and time left. */
    static ProfilingProgress printer(PrintStream err) {
        return u -> err.printf("[%3.0f%%] %-40s %s (~%.0f s left)%n", 100 * u.fraction(), u.phase(), u.detail(),
                Math.max(0, u.secondsLeft()));
    }

    static String table(Profile p) {
        StringBuilder s = new StringBuilder(String.format("%nprofile of %s on %s (%d threads, %s)%n", p.model(),
                p.hardwareId(), p.provenance().threads(), p.provenance().runtimeVersion()));
        s.append(String.format("%6s %9s %8s %9s %9s %9s %11s %10s %6s %7s%n", "batch", "mean ms", "std ms", "p50 ms",
                "p95 ms", "p99 ms", "items/s", "memory MB", "calls", "stable"));
        for (BatchMeasurement m : p.batches()) {
            s.append(String.format("%6d %9.2f %8.2f %9.2f %9.2f %9.2f %11.1f %10.1f %6d %7s%n", m.batch(), m.meanMs(),
                    m.stdMs(), m.p50Ms(), m.p95Ms(), m.p99Ms(), m.throughputPerSecond(),
                    m.memoryBytes() < 0 ? Double.NaN : m.memoryBytes() / 1048576.0, m.iterations(),
                    m.stable() ? "yes" : "no"));
        }
        s.append(String.format("fit: %s %s, max error %.1f %%, mean error %.1f %%%n", p.fit().kind(),
                p.fit().coefficients().stream().map(c -> String.format("%.4f", c)).toList(),
                100 * p.fit().maxRelativeError(), 100 * p.fit().meanRelativeError()));
        s.append(coldLine("cold start", p.coldStart())).append(coldLine("cold start, cached", p.coldStartCached()));
        return s.toString();
    }

    private static String coldLine(String label, ColdStart c) {
        return String.format("%-19s process %.0f ms + session %.0f ms + first inference %.0f ms + warm-up %.0f ms"
                + " = %.0f ms%n", label + ":", c.processStartMs(), c.sessionCreateMs(), c.firstInferenceMs(),
                c.warmupMs(), c.totalMs());
    }

    static Map<String, long[]> parseShapes(List<String> specs) {
        return InputShapes.parse(specs);
    }

    private static int usage(String message) {
        System.err.println("error: " + message);
        return 2;
    }

    private static int fail(String message) {
        System.err.println("error: " + message);
        return 1;
    }
}
