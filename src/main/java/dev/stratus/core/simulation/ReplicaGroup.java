package dev.stratus.core.simulation;

import java.util.List;

/**
 * Identical replicas on one pool, each serving the member models (one member, or several co-located ones that
 * take turns on the replica's accelerator). {@code replicas} is the starting count; a scaling policy changes it.
 * {@code maxQueuePerReplica} bounds each member's queue on a replica: beyond it the gateway rejects (a drop).
 * {@code formation} is the batcher's deadline rule.
 */
public record ReplicaGroup(
        String pool,
        double costPerHour,
        double networkRttMs,
        List<GroupMember> members,
        int replicas,
        SimDispatch dispatch,
        int maxQueuePerReplica,
        BatchRule formation) {

    public static final int DEFAULT_MAX_QUEUE = 1024;

    public ReplicaGroup {
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a replica group on " + pool + " needs at least one model");
        }
        if (members.stream().map(GroupMember::model).distinct().count() != members.size()) {
            throw new IllegalArgumentException("a replica group on " + pool + " lists a model twice");
        }
        if (costPerHour < 0 || networkRttMs < 0 || replicas < 0 || maxQueuePerReplica < 1 || dispatch == null
                || formation == null) {
            throw new IllegalArgumentException("replica group on " + pool + ": costPerHour, networkRttMs, replicas >= 0, "
                    + "maxQueuePerReplica >= 1, a dispatch and a batch formation required");
        }
    }

    /** A group with the Stratus worker's deadline-aware batcher. */
    public ReplicaGroup(String pool, double costPerHour, double networkRttMs, List<GroupMember> members, int replicas,
            SimDispatch dispatch, int maxQueuePerReplica) {
        this(pool, costPerHour, networkRttMs, members, replicas, dispatch, maxQueuePerReplica,
                BatchRule.DEADLINE_AWARE);
    }

    /** A group serving a single model on {@code pool}. */
    public static ReplicaGroup single(String model, SimPool pool, int batch, double maxQueueDelayMs, int replicas,
            SimDispatch dispatch, double share) {
        return new ReplicaGroup(pool.name(), pool.costPerHour(), pool.networkRttMs(),
                List.of(new GroupMember(model, batch, maxQueueDelayMs, share)), replicas, dispatch, DEFAULT_MAX_QUEUE);
    }

    public ReplicaGroup withReplicas(int count) {
        return new ReplicaGroup(pool, costPerHour, networkRttMs, members, count, dispatch, maxQueuePerReplica, formation);
    }

    public List<String> models() {
        return members.stream().map(GroupMember::model).toList();
    }
}
