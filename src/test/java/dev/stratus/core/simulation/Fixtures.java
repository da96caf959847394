package dev.stratus.core.simulation;

import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.simulation.arrival.ArrivalProcess;
import java.util.List;

/** Small builders for simulator tests. */
final class Fixtures {
    static final SimPool POOL = new SimPool("gpu", 1.0, 0);
    static final ColdStart NO_COLD_START = new ColdStart(0, 0, 0, 0, false);

    private Fixtures() {
    }

    /** Deterministic l(b) = α·b + β ms. */
    static SimModel model(String name, double sloMs, double alphaMs, double betaMs, int maxBatch, ArrivalProcess arrivals) {
        return new SimModel(name, sloMs, 0.99, ServiceTime.linear(alphaMs, betaMs, 0, maxBatch), NO_COLD_START, null,
                arrivals);
    }

    static SimWorkload workload(double durationSeconds, SimModel... models) {
        return new SimWorkload(List.of(models), List.of(POOL), durationSeconds, 1);
    }

    static SimConfig config(SimWorkload workload, ReplicaGroup... groups) {
        return new SimConfig(workload, List.of(groups), false);
    }

    static ReplicaGroup group(String model, int batch, double delayMs, int replicas, SimDispatch dispatch) {
        return ReplicaGroup.single(model, POOL, batch, delayMs, replicas, dispatch, 1);
    }
}
