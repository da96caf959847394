package dev.stratus.core.simulation.policy;

import dev.stratus.core.simulation.ControlSnapshot;
import dev.stratus.core.simulation.GroupObservation;
import dev.stratus.core.simulation.ScalingDecision;
import dev.stratus.core.simulation.ScalingPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes HPA replica calculation on a utilisation metric, per group, every sync period.
 * Source: Kubernetes documentation "Horizontal Pod Autoscaling" (algorithm details, stabilisation window, default
 * behaviour) and {@code pkg/controller/podautoscaler/replica_calculator.go} / {@code horizontal.go}:
 * <ul>
 *   <li>ratio = utilisation / target, over the ready pods; no change while |ratio − 1| ≤ tolerance;</li>
 *   <li>desired = ceil(ratio × ready); when scaling up, pods not yet ready count as 0 % busy, and if that brings
 *       the ratio back within tolerance (or across 1) nothing changes;</li>
 *   <li>scale-down stabilisation: the highest recommendation of the last window is used;</li>
 *   <li>scale-up limited to max(current × (1 + percent/100), current + pods) per period; clamped to [min, max].</li>
 * </ul>
 */
public final class HpaPolicy implements ScalingPolicy {
    private final HpaSettings settings;
    private double sinceSync;
    private final Map<Integer, double[]> usage = new HashMap<>(); // group → {busy, available} over the sync period
    private final Map<Integer, ArrayDeque<double[]>> history = new HashMap<>(); // group → {time, recommendation}

    public HpaPolicy(HpaSettings settings) {
        this.settings = settings;
    }

    @Override
    public List<ScalingDecision> onTick(ControlSnapshot snapshot) {
        for (GroupObservation g : snapshot.groups()) {
            double[] u = usage.computeIfAbsent(g.group(), k -> new double[2]);
            u[0] += g.busyReplicaSeconds();
            u[1] += g.availableReplicaSeconds();
        }
        sinceSync += snapshot.periodSeconds();
        if (sinceSync + 1e-9 < settings.syncPeriodSeconds()) {
            return List.of();
        }
        sinceSync = 0;
        List<ScalingDecision> decisions = new ArrayList<>();
        for (GroupObservation g : snapshot.groups()) {
            double[] u = usage.get(g.group());
            double utilisation = u[1] > 0 ? Math.min(1, u[0] / u[1]) : 0;
            u[0] = 0;
            u[1] = 0;
            int current = g.replicas();
            int raw = recommend(utilisation, g.ready(), g.starting());
            int stabilised = stabilise(g.group(), snapshot.nowSeconds(), raw, current);
            int limitUp = (int) Math.max(Math.ceil(current * (1 + settings.scaleUpPercent() / 100)),
                    current + settings.scaleUpPods());
            int target = Math.max(settings.minReplicas(), Math.min(settings.maxReplicas(), Math.min(stabilised, limitUp)));
            if (target != current) {
                decisions.add(new ScalingDecision(g.group(), target, String.format(java.util.Locale.ROOT,
                        "hpa: utilisation %.0f%% vs target %.0f%% (recommended %d)", utilisation * 100,
                        settings.targetUtilisation() * 100, raw)));
            }
        }
        return decisions;
    }

    /** The replica calculator's recommendation, before stabilisation and limits. */
    int recommend(double utilisation, int ready, int starting) {
        int current = ready + starting;
        if (ready == 0) {
            return current; // no metrics yet
        }
        double ratio = utilisation / settings.targetUtilisation();
        if (Math.abs(ratio - 1) <= settings.tolerance()) {
            return current;
        }
        if (ratio > 1 && starting > 0) {
            // Unready pods count as using nothing when scaling up (avoids overshooting while they start).
            double newRatio = utilisation * ready / (settings.targetUtilisation() * current);
            if (Math.abs(newRatio - 1) <= settings.tolerance() || newRatio < 1) {
                return current;
            }
            return (int) Math.ceil(newRatio * current - 1e-9);
        }
        return (int) Math.ceil(ratio * ready - 1e-9);
    }

    private int stabilise(int group, double now, int raw, int current) {
        ArrayDeque<double[]> h = history.computeIfAbsent(group, k -> new ArrayDeque<>());
        while (!h.isEmpty() && h.peekFirst()[0] <= now - settings.scaleDownStabilisationSeconds()) {
            h.pollFirst();
        }
        double down = raw;
        for (double[] rec : h) {
            down = Math.max(down, rec[1]);
        }
        h.addLast(new double[] {now, raw});
        int result = Math.max(current, raw); // scale-up stabilisation window is 0 by default: up at once
        return (int) Math.min(result, down);
    }
}
