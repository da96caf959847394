package dev.stratus.core.simulation.policy;

import dev.stratus.core.simulation.ControlSnapshot;
import dev.stratus.core.simulation.GroupObservation;
import dev.stratus.core.simulation.ScalingDecision;
import dev.stratus.core.simulation.ScalingPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * Knative's KPA on concurrency. Source: Knative Serving docs "Configuring the autoscaler / KPA specific" and
 * {@code pkg/autoscaler/scaling/autoscaler.go}:
 * <ul>
 *   <li>observed concurrency (requests in the group) is averaged over the stable window (60 s) and the panic window
 *       (6 s); desired = ceil(average / (target × utilisation)) for each, limited to [ready / maxScaleDownRate,
 *       ready × maxScaleUpRate];</li>
 *   <li>panic starts (or is extended) when desired-panic / ready ≥ panic threshold (200 %); while panicking the
 *       count only grows (max of the panic desires seen); panic ends one stable window after it was last triggered;</li>
 *   <li>otherwise the stable desire is used. Decisions every tick (2 s).</li>
 * </ul>
 * Concurrency samples are the simulator's per-control-period time averages (1 s by default), like Knative's
 * per-second buckets.
 */
public final class KpaPolicy implements ScalingPolicy {
    private final KpaSettings settings;
    private final IntToDoubleFunction targetPerReplica;
    private final Map<Integer, ArrayDeque<double[]>> samples = new HashMap<>(); // group → {time, concurrency}
    private final Map<Integer, Double> panicSince = new HashMap<>();
    private final Map<Integer, Integer> maxPanicPods = new HashMap<>();
    private double sinceTick;

    /** @param targetPerReplica the group's target concurrency per replica (before the utilisation factor) */
    public KpaPolicy(KpaSettings settings, IntToDoubleFunction targetPerReplica) {
        this.settings = settings;
        this.targetPerReplica = targetPerReplica;
    }

    @Override
    public List<ScalingDecision> onTick(ControlSnapshot snapshot) {
        double now = snapshot.nowSeconds();
        for (GroupObservation g : snapshot.groups()) {
            ArrayDeque<double[]> s = samples.computeIfAbsent(g.group(), k -> new ArrayDeque<>());
            s.addLast(new double[] {now, g.meanInSystem()});
            while (s.peekFirst()[0] <= now - settings.stableWindowSeconds()) {
                s.pollFirst();
            }
        }
        sinceTick += snapshot.periodSeconds();
        if (sinceTick + 1e-9 < settings.tickSeconds()) {
            return List.of();
        }
        sinceTick = 0;
        List<ScalingDecision> decisions = new ArrayList<>();
        for (GroupObservation g : snapshot.groups()) {
            Desire desire = decide(g, now);
            if (desire.replicas() != g.replicas()) {
                decisions.add(new ScalingDecision(g.group(), desire.replicas(), desire.reason()));
            }
        }
        return decisions;
    }

    private record Desire(int replicas, String reason) {
    }

    private Desire decide(GroupObservation g, double now) {
        ArrayDeque<double[]> s = samples.get(g.group());
        double stable = average(s, now - settings.stableWindowSeconds());
        double panic = average(s, now - settings.panicWindowSeconds());
        double target = targetPerReplica.applyAsDouble(g.group()) * settings.targetUtilisation();
        int ready = Math.max(1, g.ready());
        double maxUp = Math.ceil(settings.maxScaleUpRate() * ready);
        double maxDown = Math.floor(ready / settings.maxScaleDownRate());
        int desiredStable = (int) Math.min(maxUp, Math.max(maxDown, Math.ceil(stable / target - 1e-9)));
        int desiredPanic = (int) Math.min(maxUp, Math.max(maxDown, Math.ceil(panic / target - 1e-9)));
        boolean overPanic = desiredPanic / (double) ready >= settings.panicThresholdPercent() / 100;
        Double since = panicSince.get(g.group());
        if (overPanic) {
            panicSince.put(g.group(), now);
        } else if (since != null && now >= since + settings.stableWindowSeconds()) {
            panicSince.remove(g.group());
            maxPanicPods.remove(g.group());
        }
        int desired;
        String reason;
        if (panicSince.containsKey(g.group())) {
            int held = Math.max(desiredPanic, maxPanicPods.getOrDefault(g.group(), 0));
            maxPanicPods.put(g.group(), held);
            desired = Math.max(held, g.replicas()); // never scale down while panicking
            reason = String.format(Locale.ROOT, "kpa panic: %.1f in flight over %.0f s vs %.1f per replica",
                    panic, settings.panicWindowSeconds(), target);
        } else {
            desired = desiredStable;
            reason = String.format(Locale.ROOT, "kpa stable: %.1f in flight over %.0f s vs %.1f per replica",
                    stable, settings.stableWindowSeconds(), target);
        }
        return new Desire(Math.max(settings.minReplicas(), Math.min(settings.maxReplicas(), desired)), reason);
    }

    private static double average(ArrayDeque<double[]> s, double after) {
        double sum = 0;
        int n = 0;
        for (double[] sample : s) {
            if (sample[0] > after) {
                sum += sample[1];
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
