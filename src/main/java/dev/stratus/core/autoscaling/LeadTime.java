package dev.stratus.core.autoscaling;

import dev.stratus.core.model.profile.ColdStart;

/**
 * How far ahead capacity must be decided, MArk-style ("provision with lead time = cold start"). A replica started
 * at a tick is useful after its cold start, and the loop only notices demand at its ticks, so the horizon is cold
 * start + one period. Growth over that horizon is the forecast's trend (never negative here: falling demand does
 * not need lead time) times the horizon. Replicas already in the warm pool are ready at once, so the pool covers
 * the growth when serving + standby capacity reaches the projected rate; what it does not cover must start cold now.
 *
 * @param periodMillis the control loop's period
 */
public record LeadTime(long periodMillis) {

    public LeadTime {
        if (periodMillis < 0) {
            throw new IllegalArgumentException("periodMillis must be >= 0: " + periodMillis);
        }
    }

    /** Cold start (process start to READY, warm-up included) plus one period, rounded up to whole milliseconds. */
    public long coldStartLeadMillis(ColdStart coldStart) {
        return (long) Math.ceil(coldStart.totalMs()) + periodMillis;
    }

    /**
     * The lead for the start we expect: cached when the optimised-model cache is available where the replica will
     * start (same machine, or a shared volume), uncached otherwise (first start on a node, cache invalidated).
     */
    public long coldStartLeadMillis(ColdStart cached, ColdStart uncached, boolean cacheAvailable) {
        return coldStartLeadMillis(cacheAvailable ? cached : uncached);
    }

    /** Rate to provision for if capacity started now must still suffice after {@code leadMillis}. */
    public static double projectedRate(Forecast forecast, long leadMillis) {
        return forecast.plannedRate() + Math.max(0, forecast.trendPerSecond()) * leadMillis / 1000.0;
    }

    /** Extra replicas the forecast growth needs within {@code leadMillis}, at {@code perReplicaRate} each. */
    public static int growthReplicas(Forecast forecast, long leadMillis, double perReplicaRate) {
        if (!(perReplicaRate > 0)) {
            throw new IllegalArgumentException("perReplicaRate must be > 0: " + perReplicaRate);
        }
        double growth = Math.max(0, forecast.trendPerSecond()) * leadMillis / 1000.0;
        return (int) Math.min(Integer.MAX_VALUE, Math.ceil(growth / perReplicaRate - 1e-6));
    }

    /** Whether serving plus ready standby replicas sustain {@code projectedRate} without a cold start. */
    public static boolean poolCovers(int servingReplicas, int standbyReady, double perReplicaRate,
                                     double projectedRate) {
        if (servingReplicas < 0 || standbyReady < 0 || !(perReplicaRate > 0)) {
            throw new IllegalArgumentException("need replica counts >= 0 and perReplicaRate > 0");
        }
        return (servingReplicas + (double) standbyReady) * perReplicaRate >= projectedRate - 1e-9;
    }
}
