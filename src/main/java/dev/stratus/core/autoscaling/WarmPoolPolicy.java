package dev.stratus.core.autoscaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Size of the warm pool of a model (or group). Standby replicas are fully started (process up, model loaded with
 * the optimised-model cache, warmed at its batch sizes) but receive no traffic, so a scale-up promotes them at once
 * instead of waiting a cold start. The pool wants the largest of:
 * <ul>
 *   <li>the configured minimum (default {@value #DEFAULT_MIN_STANDBY});</li>
 *   <li>the largest scale-up step within {@code stepMemoryMillis} (default 10 min), so the next comparable step is
 *       served entirely from the pool;</li>
 *   <li>the replicas the forecast growth needs within one cold-start lead time ({@link LeadTime#growthReplicas});</li>
 * </ul>
 * plus {@code burstExtra} (default 1) while a burst is under way, capped so that serving + standby never exceeds the
 * model's max replicas. These rules are our own; the idea of hiding provisioning latency is MArk's, and Knative's
 * {@code min-scale}/INFaaS's "keep one replica of slack" are the fixed-size version of it.
 */
public record WarmPoolPolicy(int burstExtra, long stepMemoryMillis) {

    public static final int DEFAULT_MIN_STANDBY = 1;
    public static final WarmPoolPolicy DEFAULT = new WarmPoolPolicy(1, 600_000);

    public WarmPoolPolicy {
        if (burstExtra < 0 || stepMemoryMillis < 0) {
            throw new IllegalArgumentException("burstExtra and stepMemoryMillis must be >= 0");
        }
    }

    /** Standby target without a growth term (no trend known, or lead time not modelled). */
    public StandbyTarget standby(int configuredMin, int servingReplicas, ReplicaBounds bounds,
                                 List<Integer> recentScaleUpSteps, boolean burst) {
        return standby(configuredMin, servingReplicas, bounds, recentScaleUpSteps, burst, 0);
    }

    /**
     * @param configuredMin      the model's configured minimum standby
     * @param servingReplicas    replicas serving now (after this period's scale decision)
     * @param recentScaleUpSteps sizes of recent scale-ups (see {@link #recentScaleUpSteps})
     * @param burst              the forecast flags a burst
     * @param growthWithinLead   replicas the forecast growth needs within one cold-start lead time
     */
    public StandbyTarget standby(int configuredMin, int servingReplicas, ReplicaBounds bounds,
                                 List<Integer> recentScaleUpSteps, boolean burst, int growthWithinLead) {
        Objects.requireNonNull(bounds, "bounds");
        if (configuredMin < 0 || servingReplicas < 0 || growthWithinLead < 0) {
            throw new IllegalArgumentException("configuredMin, servingReplicas and growthWithinLead must be >= 0");
        }
        int largestStep = 0;
        for (int step : recentScaleUpSteps) {
            largestStep = Math.max(largestStep, step);
        }
        int base = configuredMin;
        String why = "configured min " + configuredMin;
        if (largestStep > base) {
            base = largestStep;
            why = "largest recent scale-up step " + largestStep;
        }
        if (growthWithinLead > base) {
            base = growthWithinLead;
            why = "forecast growth of " + growthWithinLead + " within the cold-start lead time";
        }
        int wanted = base + (burst ? burstExtra : 0);
        if (burst && burstExtra > 0) {
            why += " +" + burstExtra + " during a burst";
        }
        int room = Math.max(0, bounds.max() - servingReplicas);
        if (wanted > room) {
            return new StandbyTarget(room, wanted, "standby " + room + " (" + why + " = " + wanted + ", capped by max "
                    + bounds.max() + " - " + servingReplicas + " serving)");
        }
        return new StandbyTarget(wanted, wanted, "standby " + wanted + " (" + why + ")");
    }

    /** Sizes of the model's SCALE_UP events within {@code stepMemoryMillis} before {@code nowMillis}. */
    public List<Integer> recentScaleUpSteps(EventLog log, String model, long nowMillis) {
        List<Integer> steps = new ArrayList<>();
        for (ScalingEvent e : log.since(nowMillis - stepMemoryMillis)) {
            if (e.kind() == ScalingEvent.Kind.SCALE_UP && e.model().equals(model) && e.toReplicas() > e.fromReplicas()
                    && e.atMillis() <= nowMillis) {
                steps.add(e.toReplicas() - e.fromReplicas());
            }
        }
        return steps;
    }
}
