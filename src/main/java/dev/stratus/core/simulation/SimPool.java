package dev.stratus.core.simulation;

/** A class of capacity a replica runs on: its price per replica-hour and the network round trip its clients see. */
public record SimPool(String name, double costPerHour, double networkRttMs) {
    public SimPool {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("pool name must be set");
        }
        if (costPerHour < 0 || networkRttMs < 0) {
            throw new IllegalArgumentException("pool " + name + ": costPerHour and networkRttMs must be >= 0");
        }
    }
}
