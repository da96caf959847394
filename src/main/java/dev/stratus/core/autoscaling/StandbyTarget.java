package dev.stratus.core.autoscaling;

import java.util.Objects;

/**
 * How many standby (pre-warmed, not serving) replicas to keep, from {@link WarmPoolPolicy}.
 *
 * @param count  standby replicas to keep, after the cap
 * @param wanted what the rules asked for before the cap
 * @param reason which rule set it, with the numbers
 */
public record StandbyTarget(int count, int wanted, String reason) {

    public StandbyTarget {
        Objects.requireNonNull(reason, "reason");
        if (count < 0 || wanted < 0 || count > wanted) {
            throw new IllegalArgumentException("need 0 <= count <= wanted");
        }
    }

    public boolean capped() {
        return count < wanted;
    }
}
