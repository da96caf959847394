package dev.stratus.core.model.plan;

/**
 * A class of capacity the planner may place replicas on (the AcceleratorPool concept).
 *
 * @param name          unique pool name
 * @param tier          edge or cloud
 * @param site          where it is (a region or an edge site name), informational
 * @param accelerator   accelerator type, informational (e.g. {@code cpu}, {@code nvidia-t4})
 * @param hardwareId    hardware class whose profiles apply ({@code profiles/<model>/<hardwareId>.yaml})
 * @param latencyScale  multiplies every profiled latency; 1.0 for the measured class, below 1 for a faster
 *                      class derived synthetically from a measured one
 * @param costPerHour   price of one replica per hour (any currency, used consistently)
 * @param maxReplicas   replicas the pool can hold, shared by every model placed there
 * @param networkRttMs  round trip between this pool and its clients, charged against every SLO served here
 * @param memoryMb      memory of one replica, shared by the models co-located on it
 */
public record Pool(
        String name,
        Tier tier,
        String site,
        String accelerator,
        String hardwareId,
        double latencyScale,
        double costPerHour,
        int maxReplicas,
        double networkRttMs,
        double memoryMb) {

    public Pool {
        name = Checks.name("name", name);
        Checks.present("tier", tier);
        site = site == null ? "" : site;
        accelerator = accelerator == null ? "" : accelerator;
        hardwareId = Checks.name("hardwareId", hardwareId);
        Checks.positive("latencyScale", latencyScale);
        Checks.nonNegative("costPerHour", costPerHour);
        Checks.atLeast("maxReplicas", maxReplicas, 1);
        Checks.nonNegative("networkRttMs", networkRttMs);
        Checks.positive("memoryMb", memoryMb);
    }

    public boolean isEdge() {
        return tier == Tier.EDGE;
    }
}
