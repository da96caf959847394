package dev.stratus.core.slo;

import dev.stratus.core.model.plan.ModelDemand;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One model's SLO as the SLI counters see it: a request is good when answered successfully within
 * {@code latencyMs}; {@code objective} is the share of requests that must be good (the model's
 * {@code slo.targetAttainment}, which the simulator and the benchmarks also compare attainment with), so the error
 * budget is {@code 1 - objective}.
 */
public record SloTarget(String model, double latencyMs, double objective) {
    public SloTarget {
        Objects.requireNonNull(model, "model");
        if (!(latencyMs > 0)) {
            throw new IllegalArgumentException("model " + model + ": latencyMs must be > 0");
        }
        if (!(objective > 0 && objective < 1)) {
            // An objective of 1 leaves no error budget: every burn rate would be infinite.
            throw new IllegalArgumentException("model " + model + ": the objective must be in (0, 1), got "
                    + objective);
        }
    }

    /** Every model with an SLO of its own (pipeline-only stages have none), in order. */
    public static List<SloTarget> of(List<ModelDemand> models) {
        return models.stream().filter(m -> m.ownSlo().isPresent()).map(m -> new SloTarget(m.name(),
                m.slo().latencyMs(), m.slo().targetAttainment())).toList();
    }

    /** 1 - objective, computed in decimal so that 1 - 0.99 is 0.01 and not 0.010000000000000009. */
    public double errorBudget() {
        return BigDecimal.ONE.subtract(BigDecimal.valueOf(objective)).doubleValue();
    }
}
