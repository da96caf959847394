package dev.stratus.core.simulation.planned;

import dev.stratus.core.autoscaling.Decision;
import dev.stratus.core.autoscaling.Forecast;
import dev.stratus.core.autoscaling.LoadForecaster;
import dev.stratus.core.autoscaling.LoadObservation;
import dev.stratus.core.autoscaling.ReplanRule;
import dev.stratus.core.planning.PlanningContext;
import dev.stratus.core.simulation.ControlSnapshot;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ModelObservation;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.ScalingDecision;
import dev.stratus.core.simulation.ScalingPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stratus' control loop in the simulator, with the real loop's rules ({@code control.ControlService}): every period
 * each model's demand feeds its {@link LoadForecaster} (EWMAs, burst detection, peak hold), the {@link ReplanRule}
 * decides whether the forecast has left the hysteresis band, and on UP or DOWN the model's groups are re-sized for
 * the forecast rate in proportion to the verified plan (see {@link #replicasFor}). The groups themselves (pool,
 * batch, co-location) stay as planned, as the local backend keeps a model's worker shape across re-plans. A plan
 * verified to hold the bursts (rate scale above 1) is the floor: the loop adds replicas only for load beyond them.
 * {@code headroom} multiplies the starting replicas and so every size (how the capacity search buys headroom).
 */
final class ReplanLoop implements ScalingPolicy {
    private final List<ReplicaGroup> groups;
    private final ReplanRule rule = ReplanRule.DEFAULT;
    private final Map<String, LoadForecaster> forecasters = new HashMap<>();
    private final Map<String, Double> planned = new HashMap<>();
    private final Map<String, Long> lastChange = new HashMap<>();
    private final Map<String, Double> initialRate = new HashMap<>();
    private final int[] current;
    private final boolean holdsBursts;

    /**
     * @param groups   the deployment's groups as they start (with the capacity search's headroom)
     * @param ctx      the request's rates
     * @param rateScale the rate each model's plan holds, as a multiple of its expected rate (the starting planned
     *                  rate of the re-plan rule: 1, or the burst peak for a plan verified to hold bursts)
     */
    ReplanLoop(List<ReplicaGroup> groups, PlanningContext ctx, double rateScale) {
        this.groups = List.copyOf(groups);
        this.current = groups.stream().mapToInt(ReplicaGroup::replicas).toArray();
        this.holdsBursts = rateScale > 1;
        for (ReplicaGroup g : groups) {
            for (GroupMember m : g.members()) {
                initialRate.putIfAbsent(m.model(), ctx.rate(m.model()) * rateScale);
                // (the plan's own operating point: replicas scale from here)
                planned.putIfAbsent(m.model(), ctx.rate(m.model()) * rateScale);
                lastChange.putIfAbsent(m.model(), 0L);
            }
        }
    }

    @Override
    public List<ScalingDecision> onTick(ControlSnapshot snapshot) {
        long now = Math.round(snapshot.nowSeconds() * 1000);
        Map<String, String> changed = new HashMap<>();
        for (ModelObservation m : snapshot.models()) {
            if (!planned.containsKey(m.model())) {
                continue;
            }
            // The simulator's arrivals are the demand: what the gateway admitted plus what it shed.
            Forecast f = forecasters.computeIfAbsent(m.model(), LoadForecaster::new).observe(new LoadObservation(
                    m.model(), now, snapshot.periodSeconds(), m.arrivals(), 0, Double.NaN, 0));
            Decision d = rule.decide(m.model(), planned.get(m.model()), f, now, lastChange.get(m.model()));
            if (d.replan()) {
                planned.put(m.model(), Math.max(d.newRate(), 1e-3));
                lastChange.put(m.model(), now);
                changed.put(m.model(), d.reason());
            }
        }
        List<ScalingDecision> decisions = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            ReplicaGroup group = groups.get(g);
            String why = group.models().stream().filter(changed::containsKey).map(changed::get).findFirst().orElse(null);
            if (why == null) {
                continue;
            }
            int target = replicasFor(g, group);
            if (target != current[g]) {
                current[g] = target;
                decisions.add(new ScalingDecision(g, target, why));
            }
        }
        return decisions;
    }

    /**
     * The group's replicas for the models' planned rates: its starting replicas scaled by the largest relative change
     * of its members' planned rates, never below the start when the plan was verified to hold bursts. Scaling the
     * plan as verified, rather than sizing again with the analytic model, keeps what the simulation showed one
     * replica carries.
     */
    private int replicasFor(int g, ReplicaGroup group) {
        double factor = 0;
        for (GroupMember m : group.members()) {
            factor = Math.max(factor, planned.get(m.model()) / initialRate.get(m.model()));
        }
        // Nearest, not up: a verified plan has slack, and rounding up turns a forecast 10 % above one replica's
        // verified load into a second replica.
        int n = Math.max(1, (int) Math.round(group.replicas() * factor));
        return holdsBursts ? Math.max(n, group.replicas()) : n;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ReplanLoop[%d groups]", groups.size());
    }
}
