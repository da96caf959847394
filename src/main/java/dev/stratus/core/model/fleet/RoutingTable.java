package dev.stratus.core.model.fleet;

import java.util.Map;
import java.util.Optional;

/** Everything the gateway routes by, replaced whole whenever the fleet or the plan changes. */
public record RoutingTable(Map<String, ModelRoute> models) {
    public static final RoutingTable EMPTY = new RoutingTable(Map.of());

    public RoutingTable {
        models = Map.copyOf(models);
    }

    public Optional<ModelRoute> route(String model) {
        return Optional.ofNullable(models.get(model));
    }
}
