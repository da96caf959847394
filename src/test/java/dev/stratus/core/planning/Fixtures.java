package dev.stratus.core.planning;

import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.Pipeline;
import dev.stratus.core.model.plan.PipelineEdge;
import dev.stratus.core.model.plan.Plan;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.model.plan.Pool;
import dev.stratus.core.model.plan.Slo;
import dev.stratus.core.model.plan.Tier;

import java.util.List;

/** Small builders for planner tests: pools, demands and linear synthetic profiles on hardware "hw". */
final class Fixtures {
    static final String HW = "hw";

    private Fixtures() {
    }

    static Pool cloud(String name, double cost, int maxReplicas, double rttMs) {
        return new Pool(name, Tier.CLOUD, "region", "cpu", HW, 1.0, cost, maxReplicas, rttMs, 8192);
    }

    static Pool cloud(String name, double scale, double cost, int maxReplicas, double rttMs, double memoryMb) {
        return new Pool(name, Tier.CLOUD, "region", "gpu", HW, scale, cost, maxReplicas, rttMs, memoryMb);
    }

    static Pool edge(String name, double cost, int maxReplicas, double rttMs) {
        return new Pool(name, Tier.EDGE, "site", "cpu", HW, 1.0, cost, maxReplicas, rttMs, 4096);
    }

    static ModelDemand model(String name, double sloMs, double rate) {
        return new ModelDemand(name, Slo.of(sloMs), rate, List.of(), false, 500, 64);
    }

    static ModelDemand model(String name, double sloMs, double rate, double memoryMb, boolean edge, String... pools) {
        return new ModelDemand(name, Slo.of(sloMs), rate, List.of(pools), edge, memoryMb, 64);
    }

    static ModelDemand stage(String name) {
        return new ModelDemand(name, null, 0, List.of(), false, 500, 64);
    }

    static Pipeline chain(String name, double sloMs, double rate, String... stagesAndFanOuts) {
        // "det", "8", "rec" -> det -(8)-> rec
        List<String> stages = new java.util.ArrayList<>();
        List<PipelineEdge> edges = new java.util.ArrayList<>();
        String previous = null;
        double fan = 1;
        for (String s : stagesAndFanOuts) {
            if (s.matches("[0-9.]+")) {
                fan = Double.parseDouble(s);
                continue;
            }
            stages.add(s);
            if (previous != null) {
                edges.add(new PipelineEdge(previous, s, fan));
            }
            previous = s;
            fan = 1;
        }
        return new Pipeline(name, stages, edges, sloMs, rate);
    }

    /** Profiles with mean(b) = alpha·b + beta, 5 % std, up to batch 64, for each named model. */
    static MapProfileStore profiles(Object... nameAlphaBeta) {
        MapProfileStore store = new MapProfileStore();
        for (int i = 0; i < nameAlphaBeta.length; i += 3) {
            store.save(SyntheticProfiles.linear((String) nameAlphaBeta[i], HW, ((Number) nameAlphaBeta[i + 1]).doubleValue(),
                    ((Number) nameAlphaBeta[i + 2]).doubleValue(), 0.05, 64));
        }
        return store;
    }

    static Plan plan(PlanRequest request, MapProfileStore store) {
        return Planner.plan(request, store);
    }

    static Plan plan(PlanRequest request, MapProfileStore store, String policy) {
        return Planner.plan(request, store, policy, Planner.Solver.HEURISTIC, PlannerSettings.defaults());
    }

    static PlanningContext context(PlanRequest request, MapProfileStore store) {
        return PlanningContext.build(request, store, PlannerSettings.defaults());
    }
}
