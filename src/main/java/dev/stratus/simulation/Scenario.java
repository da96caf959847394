package dev.stratus.simulation;

import dev.stratus.core.simulation.SimWorkload;
import dev.stratus.core.simulation.policy.PolicyConfigurator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed scenario file: the workload, the default seed, and the policies it can run by name (explicit static
 * deployments from the file, and the dynamic baselines with the file's settings or their defaults).
 */
public record Scenario(String name, SimWorkload workload, long seed, Map<String, PolicyConfigurator> policies) {

    public Scenario {
        policies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(policies));
    }

    public Optional<PolicyConfigurator> policy(String name) {
        return Optional.ofNullable(policies.get(name));
    }

    public List<String> policyNames() {
        return List.copyOf(policies.keySet());
    }

    /** This scenario with {@code extra} configurators added (e.g. the planner's), replacing same-named ones. */
    public Scenario with(List<PolicyConfigurator> extra) {
        Map<String, PolicyConfigurator> all = new LinkedHashMap<>(policies);
        for (PolicyConfigurator c : extra) {
            all.put(c.name(), c);
        }
        return new Scenario(name, workload, seed, all);
    }
}
