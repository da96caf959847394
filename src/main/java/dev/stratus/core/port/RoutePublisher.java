package dev.stratus.core.port;

import dev.stratus.core.model.fleet.RoutingTable;

/** Where the control loop publishes the routing table (the gateway's replicas, batches and deadlines). */
@FunctionalInterface
public interface RoutePublisher {

    /** Replaces the routing table; requests already forwarded finish where they are. */
    void publish(RoutingTable table);
}
