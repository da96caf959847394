package dev.stratus.core.simulation.planned;

import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.core.profiling.LatencyCurve;
import dev.stratus.core.simulation.ServiceTime;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.SimPool;
import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.arrival.ArrivalProcess;
import dev.stratus.core.simulation.arrival.MmppArrivals;
import dev.stratus.core.simulation.arrival.PoissonArrivals;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plan request as the simulator sees it. Pools keep their price and round trip; each model gets its SLO (a
 * pipeline-only stage: the pipeline's SLO split evenly over its longest path, which each planned policy replaces by
 * its own stage budget), its target attainment, its arrivals (Poisson at the request's total rate unless given) and
 * its cold starts from the profile. Service times come from the profile of the model on each pool's hardware class,
 * times the pool's latency scale (the planner's view of a faster pool), so one model can run at different speeds
 * in different groups.
 */
public final class PlanSimulation {
    private final PlanRequest request;
    private final ProfileStore profiles;
    private final Map<String, Optional<ServiceTime>> serviceTimes = new HashMap<>();

    public PlanSimulation(PlanRequest request, ProfileStore profiles) {
        this.request = request;
        this.profiles = profiles;
    }

    public PlanRequest request() {
        return request;
    }

    public ProfileStore profiles() {
        return profiles;
    }

    /** The workload: Poisson arrivals at each model's total rate unless {@code arrivals} names the model. */
    public SimWorkload workload(double durationSeconds, double controlPeriodSeconds, Map<String, ArrivalProcess> arrivals) {
        for (String name : arrivals.keySet()) {
            request.model(name); // unknown model -> IllegalArgumentException
        }
        List<SimPool> pools = request.pools().stream()
                .map(p -> new SimPool(p.name(), p.costPerHour(), p.networkRttMs())).toList();
        Map<String, Double> rates = request.totalRates();
        List<SimModel> models = new ArrayList<>();
        for (ModelDemand m : request.models()) {
            Profile profile = null;
            ServiceTime widest = null;
            for (Pool p : request.poolsFor(m)) {
                Optional<Profile> found = profiles.find(m.name(), p.hardwareId());
                Optional<ServiceTime> st = serviceTime(m.name(), p.name());
                if (found.isPresent() && st.isPresent()) {
                    if (profile == null) {
                        profile = found.get();
                    }
                    if (widest == null || st.get().maxBatch() > widest.maxBatch()) {
                        widest = st.get();
                    }
                }
            }
            if (widest == null) {
                throw new IllegalArgumentException("model " + m.name() + ": no profile on any allowed pool's hardware");
            }
            ArrivalProcess a = arrivals.getOrDefault(m.name(), new PoissonArrivals(rates.get(m.name())));
            models.add(new SimModel(m.name(), sloMs(m), m.ownSlo().map(Slo::targetAttainment).orElse(Slo.DEFAULT_ATTAINMENT),
                    widest, profile.coldStart(), profile.coldStartCached(), a));
        }
        return new SimWorkload(models, pools, durationSeconds, controlPeriodSeconds);
    }

    /** The burst's rate over the mean in {@link #burstyWorkload}. */
    public static final double BURST_PEAK = 2.0;

    /**
     * Bursty arrivals with each model's mean rate: a two-state MMPP at 2× the mean for about 10 s and 0.75× for
     * about 40 s (a fifth of the time high), the burst the planner benchmark and the verified planner use.
     */
    public SimWorkload burstyWorkload(double durationSeconds, double controlPeriodSeconds) {
        Map<String, ArrivalProcess> arrivals = new HashMap<>();
        request.totalRates().forEach((model, rate) -> arrivals.put(model,
                new MmppArrivals(0.75 * rate, BURST_PEAK * rate, 40, 10)));
        return workload(durationSeconds, controlPeriodSeconds, arrivals);
    }

    /** The model's own SLO, else (a pipeline-only stage) the tightest even split of a pipeline's SLO over its longest path. */
    public double sloMs(ModelDemand m) {
        if (m.ownSlo().isPresent()) {
            return m.ownSlo().get().latencyMs();
        }
        double slo = Double.POSITIVE_INFINITY;
        for (Pipeline p : request.pipelines()) {
            if (p.stages().contains(m.name())) {
                slo = Math.min(slo, p.sloMs() / longestPath(p));
            }
        }
        return slo;
    }

    /** Stages on the pipeline's longest path. */
    static int longestPath(Pipeline p) {
        Map<String, Integer> depth = new HashMap<>();
        int longest = 1;
        for (String s : p.topologicalOrder()) {
            int d = 1;
            for (PipelineEdge e : p.incoming(s)) {
                d = Math.max(d, depth.get(e.from()) + 1);
            }
            depth.put(s, d);
            longest = Math.max(longest, d);
        }
        return longest;
    }

    /**
     * How long a batch of the model takes on a pool: the profile on the pool's hardware class (mean and std per batch,
     * {@link LatencyCurve}), up to the smaller of the model's and the profile's max batch, times the latency scale.
     */
    public Optional<ServiceTime> serviceTime(String model, String pool) {
        return serviceTimes.computeIfAbsent(model + "\u0000" + pool, k -> {
            ModelDemand m = request.model(model);
            Pool p = request.pool(pool);
            return profiles.find(model, p.hardwareId()).map(profile -> {
                int maxBatch = Math.min(m.maxBatch(), profile.maxBatch());
                ServiceTime st = ServiceTime.fromCurve(new LatencyCurve(profile), Math.max(1, maxBatch));
                return p.latencyScale() == 1.0 ? st : st.scaled(p.latencyScale());
            });
        });
    }
}
