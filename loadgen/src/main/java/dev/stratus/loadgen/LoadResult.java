package dev.stratus.loadgen;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * Everything a run measured; serialised as-is to loadgen-result.json.
 *
 * @param durationSeconds scheduled length of the run (the schedule stops there)
 * @param elapsedSeconds  wall time from the first intended send to the end of draining
 * @param startedAt       ISO-8601 instant of the first intended send
 * @param models          one row per scenario model, in scenario order
 * @param total           all models together ("all")
 * @param series          per-second series per model, in scenario order
 * @param totalSeries     per-second series of all models together
 * @param sendLag         how late the generator itself sent requests (actual − intended send time); a large p99
 *                        means the client, not the server, was short of CPU and latencies are inflated by it
 */
public record LoadResult(String scenario, String target, long seed, double durationSeconds, double elapsedSeconds,
                         String startedAt, List<ModelStats> models, ModelStats total, List<ModelSeries> series,
                         ModelSeries totalSeries, LatencySummary sendLag) {
    public LoadResult {
        models = List.copyOf(models);
        series = List.copyOf(series);
    }

    public ModelStats model(String name) {
        return models.stream().filter(m -> m.model().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no model " + name + " in the result"));
    }
}
