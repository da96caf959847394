package dev.stratus.core.simulation;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * What is being served, independent of how: the models (with their arrivals), the pools on offer, how long to
 * simulate (arrivals stop at {@code durationSeconds}; requests already in the system finish), how often the
 * scaling policy is consulted, and the serving path's per-request overhead beyond the network ({@link HopOverhead}).
 */
public record SimWorkload(List<SimModel> models, List<SimPool> pools, double durationSeconds, double controlPeriodSeconds,
        HopOverhead overhead) {

    public SimWorkload(List<SimModel> models, List<SimPool> pools, double durationSeconds, double controlPeriodSeconds) {
        this(models, pools, durationSeconds, controlPeriodSeconds, HopOverhead.NONE);
    }

    public SimWorkload {
        overhead = overhead == null ? HopOverhead.NONE : overhead;
        models = List.copyOf(models);
        pools = List.copyOf(pools);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("the workload has no models");
        }
        if (!(durationSeconds > 0) || !(controlPeriodSeconds > 0)) {
            throw new IllegalArgumentException("durationSeconds and controlPeriodSeconds must be > 0");
        }
        var names = new HashSet<String>();
        for (SimModel m : models) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("model " + m.name() + " is listed twice");
            }
        }
        var poolNames = new HashSet<String>();
        for (SimPool p : pools) {
            if (!poolNames.add(p.name())) {
                throw new IllegalArgumentException("pool " + p.name() + " is listed twice");
            }
        }
    }

    /** The same workload with {@code hops} as its per-request overhead. */
    public SimWorkload withOverhead(HopOverhead hops) {
        return new SimWorkload(models, pools, durationSeconds, controlPeriodSeconds, hops);
    }

    public Optional<SimModel> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public SimModel requireModel(String name) {
        return model(name).orElseThrow(() -> new IllegalArgumentException("unknown model '" + name + "'"));
    }

    public Optional<SimPool> pool(String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public SimPool requirePool(String name) {
        return pool(name).orElseThrow(() -> new IllegalArgumentException("unknown pool '" + name + "'"));
    }
}
