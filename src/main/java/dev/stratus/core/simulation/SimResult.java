package dev.stratus.core.simulation;

import java.util.List;

/** The outcome of one run of one policy: per model service, per group cost, and the scaling events applied. */
public record SimResult(
        String policy,
        long seed,
        double durationSeconds,
        List<ModelResult> models,
        List<GroupResult> groups,
        List<ScalingEvent> scalingEvents) {

    public SimResult {
        models = List.copyOf(models);
        groups = List.copyOf(groups);
        scalingEvents = List.copyOf(scalingEvents);
    }

    public double costDollars() {
        return groups.stream().mapToDouble(GroupResult::costDollars).sum();
    }

    public double replicaHours() {
        return groups.stream().mapToDouble(GroupResult::replicaHours).sum();
    }

    /** Average spend rate over the run, $/h. */
    public double costPerHour() {
        return costDollars() / (durationSeconds / 3600);
    }

    public long requests() {
        return models.stream().mapToLong(ModelResult::requests).sum();
    }

    public long withinSlo() {
        return models.stream().mapToLong(ModelResult::withinSlo).sum();
    }

    public long dropped() {
        return models.stream().mapToLong(ModelResult::dropped).sum();
    }

    /** Over all models' requests together. */
    public double attainment() {
        long requests = requests();
        return requests == 0 ? 1 : (double) withinSlo() / requests;
    }

    public double goodput() {
        return withinSlo() / durationSeconds;
    }

    public ModelResult model(String name) {
        return models.stream().filter(m -> m.model().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for model " + name));
    }
}
