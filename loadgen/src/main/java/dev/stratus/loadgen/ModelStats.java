package dev.stratus.loadgen;

import java.util.Map;

/**
 * Totals for one model (or {@code "all"}) over a run. {@code sent == ok + shed + deadline + errors} always holds
 * once the run has drained ({@link #accounted()}).
 *
 * @param sloMs             the model's latency target; null for the "all" row (each model counts against its own)
 * @param okWithinSlo       ok responses no later than sloMs after their intended send time
 * @param attainment        okWithinSlo / sent (0 when nothing was sent)
 * @param goodputPerSecond  okWithinSlo / scheduled duration
 * @param offeredPerSecond  sent / scheduled duration
 * @param latency           percentiles of ok responses; null when there were none
 * @param errorSamples      up to 10 distinct error descriptions (status and body, or exception) with their counts
 */
public record ModelStats(String model, Double sloMs, long sent, long ok, long shed, long deadline, long errors,
                         long okWithinSlo, double attainment, double goodputPerSecond, double offeredPerSecond,
                         LatencySummary latency, Map<String, Long> errorSamples) {
    public ModelStats {
        errorSamples = Map.copyOf(errorSamples);
    }

    public long completed() {
        return ok + shed + deadline + errors;
    }

    /** Every sent request ended in exactly one outcome. */
    public boolean accounted() {
        return sent == completed();
    }
}
