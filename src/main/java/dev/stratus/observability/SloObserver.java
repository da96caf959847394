package dev.stratus.observability;

import dev.stratus.core.model.fleet.Replica;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.port.Clock;
import dev.stratus.core.port.FleetObserver;
import dev.stratus.core.slo.SloHistory;
import java.util.List;
import java.util.function.Supplier;

/**
 * The control loop's observer, with every sample it takes also written to the {@link SloHistory} (with the model's
 * serving and standby replicas at that moment). The ledger's samples go to one consumer; this keeps them one.
 */
public final class SloObserver implements FleetObserver {
    private final FleetObserver inner;
    private final SloHistory history;
    private final Supplier<List<Replica>> replicas;
    private final Clock clock;

    public SloObserver(FleetObserver inner, SloHistory history, Supplier<List<Replica>> replicas, Clock clock) {
        this.inner = inner;
        this.history = history;
        this.replicas = replicas;
        this.clock = clock;
    }

    @Override
    public TrafficSample sample(String model) {
        TrafficSample s = inner.sample(model);
        int serving = 0;
        int standby = 0;
        for (Replica r : replicas.get()) {
            if (r.models().contains(model)) {
                serving += r.state() == ReplicaState.SERVING ? 1 : 0;
                standby += r.state() == ReplicaState.STANDBY ? 1 : 0;
            }
        }
        history.record(clock.millis(), s, serving, standby);
        return s;
    }
}
