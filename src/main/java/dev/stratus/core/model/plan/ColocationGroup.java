package dev.stratus.core.model.plan;

import java.util.List;

/**
 * Models sharing the same replicas of one pool, executed round-robin within a duty cycle (Nexus' squishy bin
 * packing): every {@code dutyCycleMs} each member runs one batch of up to its {@code batch}. {@code occupancy} is
 * the busy fraction of the cycle, {@code memoryMb} what the members need together (≤ the pool's memory).
 */
public record ColocationGroup(
        String id,
        String pool,
        List<Member> members,
        int replicas,
        double dutyCycleMs,
        double occupancy,
        double memoryMb) {

    public record Member(String model, int batch, double ratePerSecond) {
        public Member {
            model = Checks.name("model", model);
            Checks.atLeast("batch", batch, 1);
            Checks.nonNegative("ratePerSecond", ratePerSecond);
        }
    }

    public ColocationGroup {
        id = Checks.name("id", id);
        pool = Checks.name("pool", pool);
        members = List.copyOf(members);
        if (members.size() < 2) {
            throw new IllegalArgumentException("members: a co-location group needs at least two models");
        }
        Checks.atLeast("replicas", replicas, 1);
        Checks.positive("dutyCycleMs", dutyCycleMs);
        Checks.nonNegative("occupancy", occupancy);
        Checks.positive("memoryMb", memoryMb);
    }

    public List<String> models() {
        return members.stream().map(Member::model).toList();
    }
}
