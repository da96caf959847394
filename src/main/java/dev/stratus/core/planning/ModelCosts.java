package dev.stratus.core.planning;

import dev.stratus.core.model.plan.ColocationGroup;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanTuple;
import dev.stratus.core.model.plan.Pool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's cost per hour split by model: a model pays for its dedicated replicas, and a co-location group's
 * replicas are shared by their members in proportion to the rate each brings (equally when none has any). The
 * parts add up to the plan's cost.
 */
public final class ModelCosts {
    private ModelCosts() {
    }

    public static Map<String, Double> perModel(Plan plan, List<Pool> pools) {
        Map<String, Double> costs = new LinkedHashMap<>();
        for (ModelPlan mp : plan.modelPlans()) {
            double cost = 0;
            for (PlanTuple t : mp.tuples()) {
                if (!t.shared()) {
                    cost += t.replicas() * price(pools, t.pool());
                }
            }
            costs.put(mp.model(), cost);
        }
        for (ColocationGroup g : plan.groups()) {
            double groupCost = g.replicas() * price(pools, g.pool());
            double rate = g.members().stream().mapToDouble(ColocationGroup.Member::ratePerSecond).sum();
            for (ColocationGroup.Member m : g.members()) {
                double share = rate > 0 ? m.ratePerSecond() / rate : 1.0 / g.members().size();
                costs.merge(m.model(), groupCost * share, Double::sum);
            }
        }
        return costs;
    }

    private static double price(List<Pool> pools, String pool) {
        return pools.stream().filter(p -> p.name().equals(pool)).mapToDouble(Pool::costPerHour).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the plan uses pool '" + pool + "', which is not given"));
    }
}
