package dev.stratus.core.planning;

import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A request joined with its profiles: for every model the service curves of the pools it may use (allowed,
 * profiled, memory fits), its total rate and its objective's quantile. Built once per planning run; a model
 * without any usable pool is reported here, naming why.
 */
public final class PlanningContext {
    private final PlanRequest request;
    private final PlannerSettings settings;
    private final Map<String, List<ServiceCurve>> curves;
    private final Map<String, Double> rates;
    private final Map<String, ModelDemand> demands = new HashMap<>();

    private PlanningContext(PlanRequest request, PlannerSettings settings, Map<String, List<ServiceCurve>> curves) {
        this.request = request;
        this.settings = settings;
        this.curves = curves;
        this.rates = request.totalRates();
        request.models().forEach(m -> demands.put(m.name(), m));
    }

    public static PlanningContext build(PlanRequest request, ProfileStore profiles, PlannerSettings settings) {
        Map<String, List<ServiceCurve>> curves = new HashMap<>();
        Map<String, Optional<Profile>> cache = new HashMap<>();
        for (ModelDemand m : request.models()) {
            List<Pool> allowed = request.poolsFor(m);
            List<ServiceCurve> usable = new ArrayList<>(allowed.size());
            List<Pool> unprofiled = new ArrayList<>();
            List<Pool> tooSmall = new ArrayList<>();
            for (Pool pool : allowed) {
                Optional<Profile> profile = cache.computeIfAbsent(m.name() + "\u0000" + pool.hardwareId(),
                        k -> profiles.find(m.name(), pool.hardwareId()));
                if (profile.isEmpty()) {
                    unprofiled.add(pool);
                } else if (m.memoryMb() > pool.memoryMb()) {
                    tooSmall.add(pool);
                } else {
                    usable.add(new ServiceCurve(m, pool, profile.get(), settings.latencyFactor(m.name(), pool.name())));
                }
            }
            if (usable.isEmpty()) {
                throw new PlanningException("model " + m.name(), noPoolReason(m, allowed, unprofiled, tooSmall));
            }
            curves.put(m.name(), List.copyOf(usable));
        }
        return new PlanningContext(request, settings, curves);
    }

    private static String noPoolReason(ModelDemand m, List<Pool> allowed, List<Pool> unprofiled, List<Pool> tooSmall) {
        if (allowed.isEmpty()) {
            return "no allowed pool exists";
        }
        if (!tooSmall.isEmpty()) {
            Pool largest = tooSmall.stream().max((a, b) -> Double.compare(a.memoryMb(), b.memoryMb())).orElseThrow();
            String missing = unprofiled.isEmpty() ? "" : "; no profile for " + hardware(unprofiled);
            return String.format("needs %.0f MB per replica, more than any allowed pool offers (largest: %s %.0f MB)%s",
                    m.memoryMb(), largest.name(), largest.memoryMb(), missing);
        }
        return "no profile for " + hardware(unprofiled) + " (run ./stratus profile " + m.name() + " on that hardware)";
    }

    private static String hardware(List<Pool> pools) {
        return pools.stream().map(p -> "hardware " + p.hardwareId() + " (pool " + p.name() + ")")
                .distinct().collect(Collectors.joining(", "));
    }

    public PlanRequest request() {
        return request;
    }

    public PlannerSettings settings() {
        return settings;
    }

    public List<ServiceCurve> curves(String model) {
        return curves.get(model);
    }

    public double rate(String model) {
        return rates.get(model);
    }

    /** The objective's percentile as a quantile; pipeline-only stages use the default 99th. */
    public double quantile(String model) {
        return demand(model).ownSlo().map(Slo::quantile).orElse(Slo.DEFAULT_PERCENTILE / 100);
    }

    public ModelDemand demand(String model) {
        return demands.get(model);
    }

    public Sizing sizing() {
        return new Sizing(settings.maxUtilisation());
    }
}
