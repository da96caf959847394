package dev.stratus.core.planning;

import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.plan.Tier;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic planning problem of any size, for measuring planner runtime and cost as models grow
 * ({@code ./stratus bench planner}): three pools (an edge site with limited replicas, a CPU cloud pool, a faster
 * and dearer accelerator pool derived with latency scale 0.25), models with linear latency laws, SLOs between
 * 2x and 12x their batch-1 latency, log-uniform rates from 1 to 1000 req/s, one in ten preferring the edge.
 * Deterministic for a seed.
 */
public final class PlannerScaleWorkload {
    public static final String HARDWARE = "synthetic-cpu";

    /** A request and the profiles it refers to. */
    public record Workload(PlanRequest request, ProfileStore profiles) {
    }

    /** How long one plan took. */
    public record Timing(int models, long nanos, double costPerHour, int tuples) {
        public double millis() {
            return nanos / 1e6;
        }
    }

    private PlannerScaleWorkload() {
    }

    public static Workload generate(int models, long seed) {
        return generate(models, seed, "m");
    }

    /** As {@link #generate(int, long)}, the models named {@code prefix} + index. */
    public static Workload generate(int models, long seed, String prefix) {
        if (models < 1) {
            throw new IllegalArgumentException("models must be >= 1, got " + models);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Pool> pools = List.of(
                new Pool("edge", Tier.EDGE, "site-1", "cpu", HARDWARE, 1.0, 0.5, Math.max(2, models / 10), 2, 8192),
                new Pool("cloud-cpu", Tier.CLOUD, "region-1", "cpu", HARDWARE, 1.0, 0.4, models * 50, 25, 16384),
                new Pool("cloud-gpu", Tier.CLOUD, "region-1", "gpu", HARDWARE, 0.25, 2.5, models * 20, 25, 24576));
        MapProfileStore profiles = new MapProfileStore();
        List<ModelDemand> demands = new ArrayList<>(models);
        for (int i = 0; i < models; i++) {
            String name = prefix + i;
            double alpha = 0.3 + random.nextDouble() * 4.7;
            double beta = 1 + random.nextDouble() * 19;
            Profile p = SyntheticProfiles.linear(name, HARDWARE, alpha, beta, 0.03 + random.nextDouble() * 0.07, 64);
            profiles.save(p);
            double l1 = (alpha + beta) * 1.3;
            double slo = 30 + l1 * (2 + random.nextDouble() * 10);
            double rate = Math.exp(random.nextDouble() * Math.log(1000));
            demands.add(new ModelDemand(name, Slo.of(Math.round(slo)), Math.round(rate * 10) / 10.0, List.of(),
                    random.nextInt(10) == 0, 200 + random.nextInt(1800), 64));
        }
        return new Workload(new PlanRequest(pools, demands), profiles);
    }

    /** Plans a generated workload once with Stratus' heuristic and reports the time taken (planning only). */
    public static Timing timeHeuristic(int models, long seed) {
        Workload w = generate(models, seed);
        long start = System.nanoTime();
        Plan plan = Planner.plan(w.request(), w.profiles());
        long nanos = System.nanoTime() - start;
        int tuples = plan.modelPlans().stream().mapToInt(p -> p.tuples().size()).sum();
        return new Timing(models, nanos, plan.costPerHour(), tuples);
    }
}
