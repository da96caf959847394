package dev.stratus.core.simulation.policy;

import dev.stratus.core.simulation.BatchRule;
import dev.stratus.core.simulation.GroupMember;
import dev.stratus.core.simulation.ReplicaGroup;
import dev.stratus.core.simulation.SimDispatch;
import dev.stratus.core.simulation.SimModel;
import dev.stratus.core.simulation.SimPool;
import dev.stratus.core.simulation.SimWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * How a dynamic baseline deploys when the scenario gives it no explicit starting groups: one group per model on
 * {@code pool} (the workload's first pool when null), batch {@code batch} capped at what the model's latency model
 * covers (0 = the model's largest), the given queue delay and dispatch, and replicas sized so that the model's mean
 * rate (or peak rate, {@code sizeForPeak}) loads them to {@code sizingUtilisation}: n = ceil(rate / (b/l(b) · u)),
 * within [min, max]. {@code formation} is the batcher's deadline rule (FIFO for Triton and Clipper, which do not
 * shed late requests).
 */
public record BaselineDeployment(
        String pool,
        int batch,
        double maxQueueDelayMs,
        SimDispatch dispatch,
        BatchRule formation,
        int maxQueuePerReplica,
        double sizingUtilisation,
        boolean sizeForPeak,
        int minReplicas,
        int maxReplicas) {

    public BaselineDeployment {
        if (dispatch == null || formation == null) {
            throw new IllegalArgumentException("baseline deployment: dispatch and batch formation must be set");
        }
        if (batch < 0 || maxQueueDelayMs < 0 || maxQueuePerReplica < 1 || !(sizingUtilisation > 0)
                || sizingUtilisation > 1 || minReplicas < 1 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("baseline deployment: batch >= 0, delay >= 0, queue >= 1, "
                    + "0 < utilisation <= 1, 1 <= minReplicas <= maxReplicas required");
        }
    }

    public int batchFor(SimModel model) {
        return batch == 0 ? model.maxBatch() : Math.min(batch, model.maxBatch());
    }

    public List<ReplicaGroup> groups(SimWorkload workload) {
        return groups(workload, this::batchFor);
    }

    /** As {@link #groups(SimWorkload)}, sizing each model's replicas for the batch {@code sizingBatch} gives. */
    public List<ReplicaGroup> groups(SimWorkload workload, ToIntFunction<SimModel> sizingBatch) {
        SimPool p = pool == null ? workload.pools().stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the workload has no pools")) : workload.requirePool(pool);
        List<ReplicaGroup> groups = new ArrayList<>();
        for (SimModel m : workload.models()) {
            double rate = sizeForPeak ? m.arrivals().peakRate() : m.arrivals().meanRate(workload.durationSeconds());
            double perReplica = m.serviceTime().throughputPerSecond(sizingBatch.applyAsInt(m)) * sizingUtilisation;
            int n = (int) Math.ceil(rate / perReplica - 1e-9);
            n = Math.max(minReplicas, Math.min(maxReplicas, n));
            groups.add(new ReplicaGroup(p.name(), p.costPerHour(), p.networkRttMs(),
                    List.of(new GroupMember(m.name(), batchFor(m), maxQueueDelayMs, 1)),
                    n, dispatch, maxQueuePerReplica, formation));
        }
        return groups;
    }
}
