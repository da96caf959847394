package dev.stratus.core.simulation.planned;

import dev.stratus.core.simulation.BatchSizing;
import dev.stratus.core.simulation.ControlSnapshot;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ScalingDecision;
import dev.stratus.core.simulation.ScalingPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * One scaling policy instance per group (so that each group can have its own settings, e.g. a lower HPA target on
 * a group given more headroom): every tick each instance sees only its own group's observation.
 */
final class PerGroupPolicy implements ScalingPolicy {
    private final List<ScalingPolicy> perGroup;

    PerGroupPolicy(List<ScalingPolicy> perGroup) {
        this.perGroup = List.copyOf(perGroup);
    }

    @Override
    public List<ScalingDecision> onTick(ControlSnapshot snapshot) {
        List<ScalingDecision> decisions = new ArrayList<>();
        for (var g : snapshot.groups()) {
            decisions.addAll(perGroup.get(g.group()).onTick(new ControlSnapshot(snapshot.nowSeconds(),
                    snapshot.periodSeconds(), List.of(g), snapshot.models())));
        }
        return decisions;
    }

    @Override
    public BatchSizing batchSizing(int group, GroupMember member) {
        return perGroup.get(group).batchSizing(group, member);
    }
}
