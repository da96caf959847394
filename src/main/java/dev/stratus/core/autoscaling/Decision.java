package dev.stratus.core.autoscaling;

import java.util.Objects;

/**
 * Outcome of {@link ReplanRule#decide}: whether to re-plan a model and for which rate.
 *
 * @param newRate the rate to plan for: the forecast's planned rate on UP/DOWN, the current planned rate on HOLD
 * @param reason  human-readable, with the numbers that decided it; goes into the REPLAN event
 */
public record Decision(String model, Kind kind, double newRate, String reason) {

    public enum Kind { UP, DOWN, HOLD }

    public Decision {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if (!(newRate >= 0)) {
            throw new IllegalArgumentException("newRate must be >= 0: " + newRate);
        }
    }

    public boolean replan() {
        return kind != Kind.HOLD;
    }
}
