package dev.stratus.core.port;

import dev.stratus.core.model.fleet.TrafficSample;

/**
 * What the control loop observes of each model's traffic: the demand, how much was shed, and the latency and SLO
 * attainment of what was answered. Locally the gateway in the same process; in a cluster, the gateways.
 */
public interface FleetObserver {

    /**
     * The model's traffic since the previous call for that model (the first call: since start). Meant for one
     * consumer, the control loop; a model never seen gives an empty sample.
     */
    TrafficSample sample(String model);
}
