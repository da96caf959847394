package dev.stratus.bench;

import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.plan.Tier;
import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.LatencyFit;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.planning.MapProfileStore;
import dev.stratus.core.planning.PlannerScaleWorkload;
import dev.stratus.core.port.ProfileStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed workload suite of {@code ./stratus bench planner}: the five sample models with their measured profiles
 * on the 2-core EPYC class ({@code cpu-amd-epyc-2c}), synthetic variants scaled from them (a model twice as fast,
 * three times as slow, ...), SLOs from tight to loose, rates from a few to thousands of requests per second, a CPU
 * cloud pool, a synthetic accelerator pool (the CPU profile at latency scale 0.2, 5.3× the price, as in
 * {@code examples/plan}), a cheaper far cloud region, and edge sites with two to four replicas. Fixed: nothing here
 * depends on the run, so every run benchmarks the same problems.
 */
public final class PlannerSuite {
    public static final String HW = "cpu-amd-epyc-2c";
    public static final List<String> SAMPLE_MODELS = List.of("ocr-det", "ocr-cls", "ocr-rec", "vad", "wakeword");
    /** Real GPU latency tables (Nexus' public TITAN X profiles, converted; docs/profiles.md). */
    public static final String GPU_HW = "gpu-titanx-pascal";
    public static final List<String> GPU_MODELS = List.of("vgg-s", "yolo9000");

    /** One benchmark problem. */
    public record Workload(String name, String description, PlanRequest request) {
        public int models() {
            return request.models().size();
        }

        public int pools() {
            return request.pools().size();
        }

        /** Small enough for the exact solver's comparison: at most 3 models and 3 pools. */
        public boolean small() {
            return models() <= 3 && pools() <= 3;
        }
    }

    private PlannerSuite() {
    }

    static Pool cpu() {
        return new Pool("cloud-cpu", Tier.CLOUD, "region-a", "cpu", HW, 1.0, 0.10, 200, 10, 4096);
    }

    static Pool gpu() {
        return new Pool("cloud-gpu", Tier.CLOUD, "region-a", "nvidia-t4", HW, 0.2, 0.53, 32, 10, 16384);
    }

    static Pool far() {
        return new Pool("cloud-far", Tier.CLOUD, "region-b", "cpu", HW, 1.0, 0.07, 200, 60, 4096);
    }

    static Pool edge(int replicas) {
        return new Pool("edge-site", Tier.EDGE, "store-17", "cpu", HW, 1.0, 0.15, replicas, 2, 2048);
    }

    static Pool edgeCloud() {
        return new Pool("cloud-cpu", Tier.CLOUD, "region-a", "cpu", HW, 1.0, 0.10, 200, 35, 4096);
    }

    /** A TITAN X class GPU replica (the measured tables), priced like a small cloud GPU instance. */
    static Pool titanx() {
        return new Pool("gpu-titanx", Tier.CLOUD, "region-a", "titan-x-pascal", GPU_HW, 1.0, 0.90, 128, 5, 12288);
    }

    /** A synthetic faster GPU class: the TITAN X tables at half the latency, at 2.2x the price. */
    static Pool gpuFast() {
        return new Pool("gpu-fast", Tier.CLOUD, "region-a", "faster-gpu", GPU_HW, 0.5, 2.00, 64, 5, 24576);
    }

    static ModelDemand m(String name, double sloMs, double rate) {
        return new ModelDemand(name, Slo.of(sloMs), rate, List.of(), false, memory(name), 64);
    }

    static ModelDemand edgeModel(String name, double sloMs, double rate) {
        return new ModelDemand(name, Slo.of(sloMs), rate, List.of(), true, memory(name), name.equals("wakeword") ? 1 : 64);
    }

    static double memory(String name) {
        if (name.equals("vgg-s") || name.equals("yolo9000")) {
            return 1500;
        }
        return name.startsWith("ocr-det") || name.startsWith("ocr-rec") || name.startsWith("det") || name.startsWith("rec")
                ? 300 : name.startsWith("ocr-cls") || name.startsWith("cls") ? 100 : 50;
    }

    private static Workload w(String name, String description, List<Pool> pools, List<ModelDemand> models) {
        return new Workload(name, description, new PlanRequest(pools, models));
    }

    /** The suite, in a fixed order. */
    public static List<Workload> workloads() {
        List<Workload> s = new ArrayList<>();
        s.add(w("cls-tight", "ocr-cls 800/s, SLO 20 ms", List.of(cpu(), gpu()), List.of(m("ocr-cls", 20, 800))));
        s.add(w("cls-loose", "ocr-cls 800/s, SLO 150 ms", List.of(cpu(), gpu()), List.of(m("ocr-cls", 150, 800))));
        s.add(w("cls-high", "ocr-cls 4000/s, SLO 50 ms", List.of(cpu(), gpu()), List.of(m("ocr-cls", 50, 4000))));
        s.add(w("det-low", "ocr-det 5/s, SLO 300 ms", List.of(cpu()), List.of(m("ocr-det", 300, 5))));
        s.add(w("det-mid", "ocr-det 40/s, SLO 500 ms", List.of(cpu(), gpu()), List.of(m("ocr-det", 500, 40))));
        s.add(w("det-tight", "ocr-det 20/s, SLO 120 ms", List.of(cpu(), gpu()), List.of(m("ocr-det", 120, 20))));
        s.add(w("rec-single", "ocr-rec 40/s, SLO 200 ms (examples/plan/single-model)", List.of(cpu()),
                List.of(m("ocr-rec", 200, 40))));
        s.add(w("rec-high", "ocr-rec 150/s, SLO 800 ms", List.of(cpu(), gpu()), List.of(m("ocr-rec", 800, 150))));
        s.add(w("rec-far", "ocr-rec 100/s, SLO 400 ms; near vs cheaper far region", List.of(cpu(), far()),
                List.of(m("ocr-rec", 400, 100))));
        s.add(w("vad-high", "vad 8000/s, SLO 25 ms", List.of(cpu(), gpu()), List.of(m("vad", 25, 8000))));
        s.add(w("vad-edge", "vad 3000/s, SLO 60 ms, edge-preferring; edge (2 replicas) + cloud (35 ms)",
                List.of(edge(2), edgeCloud()), List.of(edgeModel("vad", 60, 3000))));
        s.add(w("wake-edge", "wakeword 500/s, SLO 30 ms, batch 1, edge-preferring; edge (2) + cloud (35 ms)",
                List.of(edge(2), edgeCloud()), List.of(edgeModel("wakeword", 30, 500))));
        s.add(w("edge-cloud", "examples/plan/edge-cloud: vad, wakeword, ocr-rec at the edge (2) first, ocr-det cloud",
                List.of(edge(2), edgeCloud()), List.of(edgeModel("vad", 60, 3000), edgeModel("wakeword", 80, 200),
                        edgeModel("ocr-rec", 400, 600),
                        new ModelDemand("ocr-det", Slo.of(800), 5, List.of("cloud-cpu"), false, 300, 64))));
        s.add(w("shared-pools", "examples/plan/shared-pools: vad, wakeword, ocr-cls, ocr-rec on CPU + GPU (co-location)",
                List.of(cpu(), gpu()), List.of(m("vad", 50, 400),
                        new ModelDemand("wakeword", Slo.of(50), 20, List.of(), false, 50, 1), m("ocr-cls", 100, 80),
                        m("ocr-rec", 300, 60))));
        s.add(w("colo-small", "vad 50/s, wakeword 20/s, ocr-cls 30/s, SLO 100 ms each, CPU (co-location)",
                List.of(cpu()), List.of(m("vad", 100, 50), m("wakeword", 100, 20), m("ocr-cls", 100, 30))));
        s.add(w("low-rates", "ocr-cls 3/s, vad 5/s, ocr-rec 2/s, SLO 500 ms, CPU + far",
                List.of(cpu(), far()), List.of(m("ocr-cls", 500, 3), m("vad", 500, 5), m("ocr-rec", 500, 2))));
        s.add(new Workload("ocr-pipeline", "examples/plan/ocr-pipeline: det -> cls -> rec, 4 images/s x 8 boxes, 2 s end to end",
                new PlanRequest(List.of(cpu(), gpu()), List.of(stage("ocr-det"), stage("ocr-cls"), stage("ocr-rec")),
                        List.of(new Pipeline("ocr", List.of("ocr-det", "ocr-cls", "ocr-rec"),
                                List.of(new PipelineEdge("ocr-det", "ocr-cls", 8), new PipelineEdge("ocr-cls", "ocr-rec", 1)),
                                2000, 4)))));
        s.add(w("det-half", "det-half (ocr-det 2x faster) 100/s, SLO 250 ms", List.of(cpu(), gpu()),
                List.of(m("det-half", 250, 100))));
        s.add(w("cls-x3", "cls-x3 (ocr-cls 3x slower) 1500/s, SLO 60 ms; CPU, GPU, far", List.of(cpu(), gpu(), far()),
                List.of(m("cls-x3", 60, 1500))));
        s.add(w("synth-mix", "det-half 30/s SLO 400, cls-x3 600/s SLO 80, rec-fast (ocr-rec 0.7x) 60/s SLO 300; CPU, GPU, far",
                List.of(cpu(), gpu(), far()), List.of(m("det-half", 400, 30), m("cls-x3", 600, 80),
                        m("rec-fast", 300, 60))));
        s.add(w("mixed-5", "all five sample models, moderate rates; edge (4) + cloud CPU + GPU",
                List.of(edge(4), cpu(), gpu()), List.of(edgeModel("vad", 80, 1000), edgeModel("wakeword", 60, 100),
                        m("ocr-cls", 100, 300), m("ocr-rec", 400, 80), m("ocr-det", 600, 10))));
        s.add(new Workload("scale-20", "PlannerScaleWorkload.generate(20, 7): 20 synthetic models, edge + CPU + accelerator",
                PlannerScaleWorkload.generate(20, 7).request()));
        s.addAll(fleets());
        return s;
    }

    /**
     * Workloads where the choice matters: ten or more replicas at the optimum, so that a plan's replica count is not
     * quantised to one or two; real GPU latency tables (VGG-S, where batching pays about 4x, and YOLO9000, where it
     * pays nothing) next to the CPU profiles; mixes of tight and loose SLOs; co-location and edge spill at scale.
     */
    static List<Workload> fleets() {
        List<Workload> s = new ArrayList<>();
        s.add(w("vgg-fleet", "vgg-s (TITAN X table) 12000/s, SLO 100 ms; TITAN X vs a 2x faster, 2.2x dearer GPU",
                List.of(titanx(), gpuFast()), List.of(m("vgg-s", 100, 12000))));
        s.add(w("vgg-tight", "vgg-s 8000/s, SLO 25 ms (5 ms RTT): small batches or the faster GPU",
                List.of(titanx(), gpuFast()), List.of(m("vgg-s", 25, 8000))));
        s.add(w("vgg-issue", "vgg-s 1200/s, SLO 200 ms (the issue's example)", List.of(titanx(), gpuFast()),
                List.of(m("vgg-s", 200, 1200))));
        s.add(w("yolo-fleet", "yolo9000 (TITAN X table, ~20 ms per image at any batch) 600/s, SLO 400 ms",
                List.of(titanx(), gpuFast()), List.of(m("yolo9000", 400, 600))));
        s.add(w("gpu-mix", "vgg-s 6000/s SLO 30 ms (tight) + yolo9000 400/s SLO 1000 ms (loose), two GPU classes",
                List.of(titanx(), gpuFast()), List.of(m("vgg-s", 30, 6000), m("yolo9000", 1000, 400))));
        s.add(w("cls-fleet", "ocr-cls 25000/s, SLO 50 ms; CPU vs the synthetic accelerator", List.of(cpu(), gpu()),
                List.of(m("ocr-cls", 50, 25000))));
        s.add(w("rec-fleet", "ocr-rec 800/s, SLO 1500 ms; CPU, accelerator, cheaper far region",
                List.of(cpu(), gpu(), far()), List.of(m("ocr-rec", 1500, 800))));
        s.add(w("det-fleet", "ocr-det 1000/s, SLO 1200 ms; CPU vs accelerator", List.of(cpu(), gpu()),
                List.of(m("ocr-det", 1200, 1000))));
        s.add(w("cpu-tight-loose", "vad 40000/s SLO 15 ms, ocr-cls 6000/s SLO 25 ms (tight); ocr-rec 300/s SLO 2 s, "
                + "ocr-det 200/s SLO 3 s (loose); CPU + accelerator", List.of(cpu(), gpu()),
                List.of(m("vad", 15, 40000), m("ocr-cls", 25, 6000), m("ocr-rec", 2000, 300), m("ocr-det", 3000, 200))));
        s.add(w("edge-fleet", "vad 60000/s SLO 60 ms, edge-preferring; edge (4 replicas, 2 ms) + cloud (35 ms)",
                List.of(edge(4), edgeCloud()), List.of(edgeModel("vad", 60, 60000))));
        s.add(new Workload("colo-fleet", "PlannerScaleWorkload.generate(40, 23, \"c\"): 40 synthetic models, edge + CPU + "
                + "accelerator, co-location at scale", PlannerScaleWorkload.generate(40, 23, "c").request()));
        return s;
    }

    /**
     * A suite from a directory: every plan request file in it ({@code *.yaml}, {@code *.yml}, {@code *.json}, the
     * format of docs/planning.md), in file-name order, named after the file.
     */
    public static List<Workload> fromDirectory(java.nio.file.Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--suite: " + dir + " is not a directory");
        }
        List<java.nio.file.Path> files;
        try (var list = java.nio.file.Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--suite: cannot list " + dir + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--suite: no plan request (*.yaml, *.yml, *.json) in " + dir);
        }
        List<Workload> suite = new ArrayList<>();
        for (java.nio.file.Path f : files) {
            String name = f.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
            try {
                suite.add(new Workload(name, f.toString(), dev.stratus.planning.io.PlanRequestReader.read(f)));
            } catch (dev.stratus.planning.io.PlanRequestException e) {
                throw new IllegalArgumentException(f + ": " + e.getMessage());
            }
        }
        return suite;
    }

    private static ModelDemand stage(String name) {
        return new ModelDemand(name, null, 0, List.of(), false, memory(name), 64);
    }

    /**
     * The profiles the suite needs: the measured ones from {@code real}, the scaled synthetic variants
     * (det-half = ocr-det × 0.5, cls-x3 = ocr-cls × 3, rec-fast = ocr-rec × 0.7) and scale-20's synthetic models.
     */
    public static MapProfileStore profiles(ProfileStore real) {
        MapProfileStore store = new MapProfileStore();
        for (String model : SAMPLE_MODELS) {
            store.save(real.find(model, HW).orElseThrow(() -> new IllegalStateException("no profile of " + model + " on "
                    + HW + " in the profile store (profiles/" + model + "/" + HW + ".yaml)")));
        }
        store.save(scaled(store.find("ocr-det", HW).orElseThrow(), "det-half", 0.5));
        store.save(scaled(store.find("ocr-cls", HW).orElseThrow(), "cls-x3", 3));
        store.save(scaled(store.find("ocr-rec", HW).orElseThrow(), "rec-fast", 0.7));
        for (String model : GPU_MODELS) {
            store.save(real.find(model, GPU_HW).orElseThrow(() -> new IllegalStateException("no profile of " + model
                    + " on " + GPU_HW + " in the profile store (profiles/" + model + "/" + GPU_HW + ".yaml)")));
        }
        for (ProfileStore synthetic : List.of(PlannerScaleWorkload.generate(20, 7).profiles(),
                PlannerScaleWorkload.generate(40, 23, "c").profiles())) {
            for (String model : synthetic.models()) {
                synthetic.forModel(model).forEach(store::save);
            }
        }
        return store;
    }

    /** A profile with every latency statistic (and the fit) multiplied by {@code factor}, renamed. */
    static Profile scaled(Profile p, String name, double factor) {
        List<BatchMeasurement> points = p.batches().stream().map(b -> new BatchMeasurement(b.batch(), b.meanMs() * factor,
                b.stdMs() * factor, b.p50Ms() * factor, b.p95Ms() * factor, b.p99Ms() * factor,
                b.throughputPerSecond() / factor, b.memoryBytes(), b.iterations(), b.stable())).toList();
        LatencyFit fit = p.fit() == null ? null : new LatencyFit(p.fit().kind(),
                p.fit().coefficients().stream().map(c -> c * factor).toList(), p.fit().maxRelativeError(),
                p.fit().meanRelativeError());
        return new Profile(name, p.provenance(), points, fit, p.coldStart(), p.coldStartCached());
    }
}
