package dev.stratus.core.model.plan;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the planner needs besides profiles: the pools, the models with their objectives and load, and the
 * pipelines that tie models together. Cross-references are checked here and reported with the field path.
 */
public record PlanRequest(List<Pool> pools, List<ModelDemand> models, List<Pipeline> pipelines) {

    public PlanRequest {
        pools = List.copyOf(Checks.present("pools", pools));
        models = List.copyOf(Checks.present("models", models));
        pipelines = pipelines == null ? List.of() : List.copyOf(pipelines);
        if (pools.isEmpty()) {
            throw new IllegalArgumentException("pools: at least one pool is needed");
        }
        if (models.isEmpty()) {
            throw new IllegalArgumentException("models: at least one model is needed");
        }
        Set<String> poolNames = new HashSet<>();
        for (int i = 0; i < pools.size(); i++) {
            if (!poolNames.add(pools.get(i).name())) {
                throw new IllegalArgumentException("pools[" + i + "].name: duplicate pool '" + pools.get(i).name() + "'");
            }
        }
        Set<String> modelNames = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            ModelDemand m = models.get(i);
            if (!modelNames.add(m.name())) {
                throw new IllegalArgumentException("models[" + i + "].name: duplicate model '" + m.name() + "'");
            }
            for (String p : m.allowedPools()) {
                if (!poolNames.contains(p)) {
                    throw new IllegalArgumentException("models[" + i + "].allowedPools: unknown pool '" + p + "'");
                }
            }
        }
        Set<String> pipelineNames = new HashSet<>();
        Set<String> stageModels = new HashSet<>();
        for (int i = 0; i < pipelines.size(); i++) {
            Pipeline p = pipelines.get(i);
            if (!pipelineNames.add(p.name())) {
                throw new IllegalArgumentException("pipelines[" + i + "].name: duplicate pipeline '" + p.name() + "'");
            }
            for (String s : p.stages()) {
                if (!modelNames.contains(s)) {
                    throw new IllegalArgumentException("pipelines[" + i + "].stages: '" + s + "' is not one of the models");
                }
                stageModels.add(s);
            }
        }
        Map<String, Double> rates = totalRates(models, pipelines);
        for (int i = 0; i < models.size(); i++) {
            ModelDemand m = models.get(i);
            if (m.slo() == null && !stageModels.contains(m.name())) {
                throw new IllegalArgumentException("models[" + i + "].slo: must be set (the model is in no pipeline)");
            }
            if (!(rates.get(m.name()) > 0)) {
                throw new IllegalArgumentException("models[" + i + "].ratePerSecond: must be > 0 (no pipeline sends it load)");
            }
        }
    }

    public PlanRequest(List<Pool> pools, List<ModelDemand> models) {
        this(pools, models, List.of());
    }

    /** Each model's total expected rate: its own plus what every pipeline sends it. */
    public Map<String, Double> totalRates() {
        return totalRates(models, pipelines);
    }

    private static Map<String, Double> totalRates(List<ModelDemand> models, List<Pipeline> pipelines) {
        Map<String, Double> rates = new HashMap<>();
        models.forEach(m -> rates.put(m.name(), m.ratePerSecond()));
        for (Pipeline p : pipelines) {
            p.stageRates().forEach((stage, r) -> rates.merge(stage, r, Double::sum));
        }
        return rates;
    }

    public Pool pool(String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown pool '" + name + "'"));
    }

    public ModelDemand model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown model '" + name + "'"));
    }

    /** The pools a model may use, in request order. */
    public List<Pool> poolsFor(ModelDemand model) {
        return pools.stream().filter(model::allows).toList();
    }
}
