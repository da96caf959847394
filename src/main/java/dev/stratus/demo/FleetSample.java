package dev.stratus.demo;

import java.util.Map;

/** Replicas per group and state at one moment of the demo, seconds from its start. */
record FleetSample(double atSeconds, Map<String, Map<String, Integer>> byGroupAndState) {
    int count(String group, String state) {
        return byGroupAndState.getOrDefault(group, Map.of()).getOrDefault(state, 0);
    }
}
