package dev.stratus.core.model.fleet;

import java.util.Map;
import java.util.Optional;

/**
 * Everything the gateways route by, replaced whole whenever the fleet or the plan changes: each model's route
 * (its replicas tagged with their edge site), each pipeline's route, and the edge sites with the round trip a
 * request pays when a site forwards it to the cloud (milliseconds, as planned).
 */
public record RoutingTable(Map<String, ModelRoute> models, Map<String, PipelineRoute> pipelines,
        Map<String, Double> sites) {
    public static final RoutingTable EMPTY = new RoutingTable(Map.of());

    public RoutingTable {
        models = Map.copyOf(models);
        pipelines = Map.copyOf(pipelines);
        sites = Map.copyOf(sites);
    }

    /** Models only, every replica served by the cloud gateway. */
    public RoutingTable(Map<String, ModelRoute> models) {
        this(models, Map.of(), Map.of());
    }

    public Optional<ModelRoute> route(String model) {
        return Optional.ofNullable(models.get(model));
    }

    public Optional<PipelineRoute> pipeline(String name) {
        return Optional.ofNullable(pipelines.get(name));
    }

    /** The same table with only the replicas at {@code site} ({@link RouteTarget#CLOUD}: the cloud gateway's). */
    public RoutingTable forSite(String site) {
        Map<String, ModelRoute> local = new java.util.LinkedHashMap<>();
        models.forEach((name, r) -> local.put(name, new ModelRoute(r.model(), r.sloMs(), r.dispatch(),
                r.targets().stream().filter(t -> t.site().equals(site)).toList())));
        return new RoutingTable(local, pipelines, sites);
    }
}
