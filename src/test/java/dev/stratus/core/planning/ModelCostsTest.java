package dev.stratus.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stratus.core.model.plan.ColocationGroup;
import dev.stratus.core.model.plan.DispatchPolicy;
import dev.stratus.core.model.plan.ModelPlan;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanTuple;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Tier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCostsTest {
    static final List<Pool> POOLS = List.of(
            new Pool("cpu", Tier.CLOUD, "", "cpu", "hw", 1, 0.10, 10, 1, 4096),
            new Pool("gpu", Tier.CLOUD, "", "t4", "hw", 1, 1.00, 10, 1, 16384));

    static PlanTuple tuple(String pool, int replicas, String group) {
        return new PlanTuple(pool, 4, 2, replicas, DispatchPolicy.values()[0], 10, 10, group);
    }

    @Test
    void dedicatedReplicasAndSharedOnesSplitByRateAddUpToThePlan() {
        Plan plan = new Plan("stratus", "heuristic", List.of(
                new ModelPlan("a", List.of(tuple("cpu", 3, ""), tuple("gpu", 1, "")), 50, 10, 0),
                new ModelPlan("b", List.of(tuple("gpu", 2, "g")), 50, 10, 0),
                new ModelPlan("c", List.of(tuple("gpu", 2, "g")), 50, 10, 0)),
                List.of(new ColocationGroup("g", "gpu", List.of(new ColocationGroup.Member("b", 4, 30),
                        new ColocationGroup.Member("c", 4, 10)), 2, 20, 0.5, 1000)),
                List.of(), 3.3, List.of());
        Map<String, Double> costs = ModelCosts.perModel(plan, POOLS);
        assertEquals(0.3 + 1.0, costs.get("a"), 1e-9);
        assertEquals(2.0 * 0.75, costs.get("b"), 1e-9); // 30 of the group's 40 req/s
        assertEquals(2.0 * 0.25, costs.get("c"), 1e-9);
        assertEquals(plan.costPerHour(), costs.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    }
}
